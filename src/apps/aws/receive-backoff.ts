import { MAX_WAIT_SECONDS } from "./sqs-limits.ts";

/**
 * The longest pause between failed receives: one long poll. A healthy receive
 * may itself wait that long for a message, so a longer pause would notice a
 * recovered broker later than an idle poll notices a message; a shorter one
 * would hammer a broker that is down.
 */
const MAX_RECEIVE_PAUSE_MS = MAX_WAIT_SECONDS * 1000;

/**
 * How long a receive loop pauses after `failures` receives in a row have
 * failed: 0.5 s after the first, doubling, at most 20 s.
 */
export function receiveBackoffMs(failures: number): number {
  return Math.min(MAX_RECEIVE_PAUSE_MS, 250 * 2 ** failures);
}
