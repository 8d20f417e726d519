import { createHistogram } from "node:perf_hooks";
import type { RecordableHistogram } from "node:perf_hooks";

/** Latency percentiles of one measurement, in milliseconds; NaN when nothing was recorded. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * Node's built-in HDR histogram: recording costs a few ns and no allocation,
 * unlike keeping every sample and sorting at the end. Values are kept in
 * microseconds with 3 significant figures.
 */
export class LatencyRecorder {
  readonly #histogram: RecordableHistogram = createHistogram();

  recordMs(ms: number): void {
    this.#histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  summary(): LatencySummary {
    const h = this.#histogram;
    if (h.count === 0) return { count: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN };
    return {
      count: h.count,
      p50Ms: h.percentile(50) / 1000,
      p99Ms: h.percentile(99) / 1000,
      maxMs: h.max / 1000,
      meanMs: h.mean / 1000,
    };
  }
}
