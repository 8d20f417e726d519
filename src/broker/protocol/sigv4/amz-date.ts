const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The last date parsed: under load, most requests were signed in the same second as the one before. */
let lastText = "";
let lastMs = 0;

/**
 * Milliseconds since the epoch of an ISO 8601 "basic format" UTC time
 * (`20261204T101500Z`, the form of `X-Amz-Date`), or undefined when the text
 * is not one or names no real instant (month 13, February 30, hour 24).
 */
export function parseAmzDate(text: string): number | undefined {
  if (text === lastText) return lastMs;
  const match = BASIC_FORMAT.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls day 32 into the next month and maps years 0-99 to 19xx.
  const date = new Date(ms);
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real) return undefined;
  lastText = text;
  lastMs = ms;
  return ms;
}

/** The ISO 8601 basic-format UTC time of `ms`, whole seconds: `20261204T101500Z`. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-12-04T10:15:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
