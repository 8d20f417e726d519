import type { Logger } from "pino";
import { pause } from "../pause.ts";
import type { RequestSource } from "../sources/request-source.ts";
import type { WidgetStore } from "../stores/widget-store.ts";
import { emptyStats } from "./consumer-stats.ts";
import type { ConsumerStats } from "./consumer-stats.ts";
import { RequestProcessor } from "./request-processor.ts";
import { giveUpAfter } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";
import { stopController } from "../stop-controller.ts";

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
  const stop = stopController();
  const stopNow = () => stop.abort();
  options.signal.addEventListener("abort", stopNow, { once: true });
  if (options.signal.aborted) stop.abort();
  const runtimeTimer =
    options.maxRuntimeMs > 0 ? setTimeout(stopNow, options.maxRuntimeMs) : undefined;

  const outage = new ReceiveOutage(logger, source.description);
  const worker = async () => {
    while (!stop.signal.aborted) {
      let received;
      try {
        received = await source.receive(stop.signal);
      } catch (error) {
        stats.errors += 1;
        outage.failed(error);
        await pause(RECEIVE_ERROR_BACKOFF_MS, stop.signal);
        continue;
      }
      // Nothing received means stopped: no sign that receiving works again.
      if (!received) break;
      outage.received();
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

/** While receives keep failing, the error is logged again at most this often. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * Tells a person about receives that fail, once for all workers: each of the
 * `concurrency` workers retries every second on its own, and ten lines a
 * second of one error (a bucket or queue gone, the service down) would bury
 * everything else. The first failure is logged, then one line a minute while
 * it lasts, and one line when receiving works again.
 */
class ReceiveOutage {
  private failures = 0;
  private lastLoggedAt = 0;

  constructor(
    private readonly logger: Logger,
    private readonly description: string,
  ) {}

  failed(error: unknown): void {
    this.failures += 1;
    const now = performance.now();
    if (this.failures > 1 && now - this.lastLoggedAt < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastLoggedAt = now;
    const attempts = this.failures === 1 ? "" : ` (${this.failures} failed attempts so far)`;
    this.logger.error(
      { err: error, failures: this.failures },
      `Could not receive from ${this.description}; retrying every second${attempts}`,
    );
  }

  received(): void {
    if (this.failures === 0) return;
    this.logger.info(
      { failures: this.failures },
      `Receiving from ${this.description} again, after ${this.failures} failed attempts`,
    );
    this.failures = 0;
  }
}
