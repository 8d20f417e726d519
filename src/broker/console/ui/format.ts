/** Formatting for people, in the browser's locale. */

export function formatCount(value: number): string {
  return NUMBER_FORMAT.format(value);
}

/** A chart's value, grouped as the counts are, to one decimal at most: 157299.8 → "157,299.8". */
export function formatMeasure(value: number): string {
  return MEASURE_FORMAT.format(value);
}

// One formatter and one collator for the whole page: making one per call
// (toLocaleString, localeCompare) costs about a millisecond each time.
const DATE_FORMAT = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const NUMBER_FORMAT = new Intl.NumberFormat();
const MEASURE_FORMAT = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
export const collator = new Intl.Collator(undefined, { numeric: true });

export function formatDate(epochMs: number): string {
  return DATE_FORMAT.format(epochMs);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const UNITS: [number, string][] = [
  [86_400, "day"],
  [3_600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/** 345600 → "4 days", 90 → "1 minute 30 seconds". */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0 seconds";
  const parts: string[] = [];
  let rest = totalSeconds;
  for (const [size, unit] of UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
    rest -= count * size;
  }
  return parts.join(" ");
}

/** The queue's name in an ARN (`arn:aws:sqs:region:account:name`). */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

export function nameOfUrl(url: string): string {
  return decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));
}
