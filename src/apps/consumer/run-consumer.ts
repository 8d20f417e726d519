import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { RequestSource } from "../sources/request-source.ts";
import type { WidgetStore } from "../stores/widget-store.ts";
import { emptyStats } from "./consumer-stats.ts";
import type { ConsumerStats } from "./consumer-stats.ts";
import { RequestProcessor } from "./request-processor.ts";
import { giveUpAfter } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";

export interface ConsumerOptions {
  readonly source: RequestSource;
  readonly store: WidgetStore;
  /** Requests processed at once by this process (different widgets only). */
  readonly concurrency: number;
  readonly retryPolicy: RetryPolicy;
  /** Stop receiving after this long, ms; 0 = no limit (the course's `--max-runtime`). */
  readonly maxRuntimeMs: number;
  /** Aborting it stops receiving; requests in hand are finished first. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Called with the running totals after every request (for progress and `--stats-file`). */
  readonly onProgress?: (stats: ConsumerStats) => void;
}

/** Pause after the source fails (broker restarting, network gone) before receiving again. */
const RECEIVE_ERROR_BACKOFF_MS = 1_000;

/**
 * The consumer loop: `concurrency` workers receive from the source and
 * process one request at a time each, until the signal is aborted or the
 * runtime is up. Then it stops receiving, finishes what it holds, acknowledges
 * it, releases what it fetched but never started, and returns its totals.
 */
export async function runConsumer(options: ConsumerOptions): Promise<ConsumerStats> {
  const { source, logger } = options;
  const stats = emptyStats();
  const processor = new RequestProcessor({
    store: options.store,
    logger,
    stats,
    retryPolicy: options.retryPolicy,
    giveUpAtReceive: giveUpAfter(options.retryPolicy, source.maxReceiveCount),
    setAsideLocation: source.setAsideLocation,
  });
  const stop = new AbortController();
  const stopNow = () => stop.abort();
  options.signal.addEventListener("abort", stopNow, { once: true });
  if (options.signal.aborted) stop.abort();
  const runtimeTimer =
    options.maxRuntimeMs > 0 ? setTimeout(stopNow, options.maxRuntimeMs) : undefined;

  const worker = async () => {
    while (!stop.signal.aborted) {
      let received;
      try {
        received = await source.receive(stop.signal);
      } catch (error) {
        stats.errors += 1;
        logger.error(
          { err: error },
          `Could not receive from ${source.description}; retrying in 1 s`,
        );
        await sleep(RECEIVE_ERROR_BACKOFF_MS, undefined, { signal: stop.signal }).catch(() => {});
        continue;
      }
      if (!received) break;
      await processor.process(received);
      options.onProgress?.(stats);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearTimeout(runtimeTimer);
    options.signal.removeEventListener("abort", stopNow);
    await source.close();
    options.onProgress?.(stats);
  }
  return stats;
}
