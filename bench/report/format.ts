import type { Measurement } from "../scenarios/scenario.ts";

export function formatCount(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? "-"
    : Math.round(value).toLocaleString("en-US");
}

/** Milliseconds with precision that suits the size: 0.412, 3.21, 48.2, 1,204. */
export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return formatCount(value);
}

export function formatFixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits);
}

/** A ratio to the ceiling: 61% below 1, 2.6x above. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "-";
  return ratio < 1 ? `${Math.round(ratio * 100)}%` : `${ratio.toFixed(2)}x`;
}

/** The one-line summary printed as a progress line after each scenario. */
export function describeMeasurement(m: Measurement): string {
  const parts = [
    `${formatCount(m.requestsPerSecond)} req/s`,
    `${formatCount(m.messagesPerSecond)} msg/s`,
  ];
  if (m.latency !== undefined) {
    const of = m.latencyOf === "send-to-receive" ? "send->receive " : "";
    parts.push(`${of}p50 ${formatMs(m.latency.p50Ms)} ms, p99 ${formatMs(m.latency.p99Ms)} ms`);
  }
  if (m.serverCores !== undefined) parts.push(`server ${formatFixed(m.serverCores, 2)} cores`);
  parts.push(`generator ${formatFixed(m.generatorCores, 2)} cores`);
  if (m.otherCores !== undefined) parts.push(`other ${formatFixed(m.otherCores, 2)} cores`);
  if (m.errors > 0) parts.push(`${m.errors} errors (first: ${m.firstError ?? "?"})`);
  return parts.join(", ");
}
