import { setTimeout as sleep } from "node:timers/promises";

/**
 * Waits `ms`, or less when `signal` aborts. Never rejects: the loops that
 * pause check their signal next and end quietly, with no AbortError to catch.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
