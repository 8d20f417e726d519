import { setTimeout as sleep } from "node:timers/promises";
import { readMachineBusyMs } from "./proc-stats.ts";
import type { Measurement } from "./scenarios/scenario.ts";

/**
 * Other work using more than this many cores (during a measurement, or just
 * before one) counts as a busy machine. On 2 cores, 0.2 of a core stolen is
 * already a visible dent in the broker's share.
 */
export const NOISE_CORES = 0.2;
const SAMPLE_MS = 1000;

async function busyCores(): Promise<number> {
  const before = readMachineBusyMs();
  await sleep(SAMPLE_MS);
  const after = readMachineBusyMs();
  return before === undefined || after === undefined ? 0 : (after - before) / SAMPLE_MS;
}

/**
 * Waits (up to `maxWaitMs`) for the machine to go quiet. Nothing of ours
 * runs at that moment, so whatever is busy is someone else. Resolves with the
 * busy cores seen last.
 */
export async function waitForQuiet(
  maxWaitMs: number,
  log: (line: string) => void,
): Promise<number> {
  if (maxWaitMs <= 0) return 0;
  const deadline = Date.now() + maxWaitMs;
  let busy = await busyCores();
  if (busy <= NOISE_CORES) return busy;
  log(
    `machine busy with other work (${busy.toFixed(2)} cores), waiting up to ${maxWaitMs / 1000} s`,
  );
  while (busy > NOISE_CORES && Date.now() < deadline) busy = await busyCores();
  log(busy > NOISE_CORES ? `still busy (${busy.toFixed(2)} cores), measuring anyway` : "quiet now");
  return busy;
}

/** Anything measured together with the CPU other work took meanwhile. */
export interface Disturbable {
  otherCores?: number;
}

export interface QuietResult<M extends Disturbable = Measurement> {
  measurement: M;
  /** How many times it was measured; more than 1 means other work got in the way. */
  attempts: number;
}

/**
 * On a shared 2-core box another process using a core halves what the server
 * gets. So: wait for quiet, measure, and if other work still took more than
 * NOISE_CORES during the window, measure again (at most `retries` more
 * times), keeping the attempt that was disturbed least.
 */
export async function measureQuietly<M extends Disturbable = Measurement>(
  quietWaitMs: number,
  retries: number,
  log: (line: string) => void,
  measure: () => Promise<M>,
): Promise<QuietResult<M>> {
  let best: M | undefined;
  let attempts = 0;
  for (;;) {
    await waitForQuiet(quietWaitMs, log);
    const measurement = await measure();
    attempts++;
    if (best === undefined || (measurement.otherCores ?? 0) < (best.otherCores ?? 0))
      best = measurement;
    const noise = best.otherCores ?? 0;
    if (noise <= NOISE_CORES || attempts > retries) return { measurement: best, attempts };
    const latest = measurement.otherCores ?? 0;
    log(`other work took ${latest.toFixed(2)} cores during that measurement; measuring again`);
  }
}
