import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  METRIC_MINUTES,
  MINUTE_MS,
  QueueMetrics,
} from "../../../src/broker/engine/queue-metrics.ts";

/** QueueMetrics on its own: the ring's bound, idle queues, and clocks that jump. */

const T0 = Date.UTC(2026, 0, 1);
const EMPTY = { visible: 0, notVisible: 0, delayed: 0, oldestAgeSeconds: 0 };

describe("QueueMetrics", () => {
  it("keeps a minute for exactly METRIC_MINUTES minutes", () => {
    const metrics = new QueueMetrics(T0);
    metrics.recordSent(10, T0);
    const last = T0 + (METRIC_MINUTES - 1) * MINUTE_MS;
    metrics.recordSent(20, last);
    const kept = metrics.series(last, METRIC_MINUTES);
    assert.equal(kept.start, T0);
    assert.equal(kept.sent[0], 1);
    assert.equal(kept.sent.at(-1), 1);
    metrics.recordSent(30, last + MINUTE_MS);
    const moved = metrics.series(last + MINUTE_MS, METRIC_MINUTES);
    assert.equal(
      moved.sent.reduce((a, b) => a + b, 0),
      2,
      "the first minute rolled off",
    );
    assert.equal(metrics.sentTotal, 3);
    assert.equal(metrics.sentBytesTotal, 60);
  });

  it("records SentMessageSize's sum, min and max per minute", () => {
    const metrics = new QueueMetrics(T0);
    for (const size of [7, 3, 12]) metrics.recordSent(size, T0 + 1000);
    const series = metrics.series(T0 + 2000, 1);
    assert.deepEqual(
      [series.sent[0], series.sentBytes[0], series.sentSizeMin[0], series.sentSizeMax[0]],
      [3, 22, 3, 12],
    );
  });

  it("allocates no history for an idle empty queue, and frees it after a day idle", () => {
    const metrics = new QueueMetrics(T0);
    metrics.sample(T0, EMPTY);
    assert.equal(metrics.hasHistory, false);
    assert.deepEqual(metrics.series(T0, 2).visible, [null, 0], "unknown before it was watched");

    metrics.recordReceive(0, T0 + MINUTE_MS);
    assert.equal(metrics.hasHistory, true);
    for (let minute = 2; minute <= METRIC_MINUTES; minute++) {
      metrics.sample(T0 + minute * MINUTE_MS, EMPTY);
      metrics.releaseIfIdle(T0 + minute * MINUTE_MS);
    }
    assert.equal(metrics.hasHistory, true, "the empty receive is still within the day");
    metrics.releaseIfIdle(T0 + (METRIC_MINUTES + 1) * MINUTE_MS);
    assert.equal(metrics.hasHistory, false);
    const after = metrics.series(T0 + (METRIC_MINUTES + 1) * MINUTE_MS, METRIC_MINUTES);
    assert.ok(after.emptyReceives.every((n) => n === 0));
    assert.ok(after.visible.every((n) => n === 0));
    assert.equal(metrics.emptyReceivesTotal, 1, "totals outlive the history");
  });

  it("keeps counting in the current minute when the clock goes back", () => {
    const metrics = new QueueMetrics(T0);
    metrics.recordDeleted(T0 + 5 * MINUTE_MS);
    metrics.recordDeleted(T0 + 2 * MINUTE_MS);
    const series = metrics.series(T0 + 5 * MINUTE_MS, 6);
    assert.deepEqual(series.deleted, [0, 0, 0, 0, 0, 2]);
  });

  it("takes a late end-of-minute sample as the value of the minute it names", () => {
    const metrics = new QueueMetrics(T0);
    metrics.recordSent(1, T0 + MINUTE_MS + 10);
    metrics.sample(T0 + MINUTE_MS - 1, { ...EMPTY, visible: 4 });
    const series = metrics.series(T0 + MINUTE_MS + 20, 2);
    // the current minute keeps what it had when the history was allocated until sampled
    assert.deepEqual(series.visible, [4, 0]);
  });
});
