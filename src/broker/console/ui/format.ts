/** Formatting for people, in the browser's locale. */

export function formatCount(value: number): string {
  return value.toLocaleString();
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
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
