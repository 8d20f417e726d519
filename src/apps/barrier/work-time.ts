import { AppError } from "../app-error.ts";

/** How long a simulated phase takes: a fixed time, or a random time in a range. */
export interface WorkTime {
  readonly minMs: number;
  readonly maxMs: number;
}

/** The default simulated phase: 100 to 500 ms, so participants finish at different times. */
export const DEFAULT_WORK_TIME: WorkTime = { minMs: 100, maxMs: 500 };

/** Reads `--work-ms`: `300` (always 300 ms) or `100-500` (a random time in that range). */
export function parseWorkTime(value: string): WorkTime {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const minMs = Number(match?.[1]);
  const maxMs = match?.[2] === undefined ? minMs : Number(match[2]);
  if (!match || maxMs < minMs || maxMs > 3_600_000) {
    throw new AppError(
      `--work-ms must be milliseconds like 300 or a range like 100-500 (up to 3600000), got "${value}"`,
      2,
    );
  }
  return { minMs, maxMs };
}

export function pickWorkMs(work: WorkTime, random: () => number = Math.random): number {
  return Math.round(work.minMs + random() * (work.maxMs - work.minMs));
}
