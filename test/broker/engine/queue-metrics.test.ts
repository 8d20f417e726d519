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

  it("holds no history for an idle empty queue, and at most a day of hours for a busy one", () => {
    const metrics = new QueueMetrics(T0);
    metrics.sample(T0, EMPTY);
    assert.equal(metrics.chunkCount, 0);
    assert.deepEqual(metrics.series(T0, 2).visible, [null, 0], "unknown before it was watched");

    // Busy for three days: an event and a non-empty sample every minute
    const busy = { ...EMPTY, visible: 1 };
    let now = T0;
    for (let minute = 0; minute < 3 * METRIC_MINUTES; minute++) {
      now = T0 + minute * MINUTE_MS;
      metrics.recordReceive(1, now);
      metrics.sample(now, busy);
      metrics.dropExpired(now);
      assert.ok(metrics.chunkCount <= METRIC_MINUTES / 60 + 1, `${metrics.chunkCount} hours held`);
    }
    assert.equal(metrics.chunkCount, METRIC_MINUTES / 60 + 1);
    const day = metrics.series(now, METRIC_MINUTES);
    assert.ok(day.received.every((n) => n === 1));
    assert.ok(day.visible.every((n) => n === 1));

    // Then idle and empty for a day: the hours go, the totals stay
    for (let minute = 1; minute <= METRIC_MINUTES + 60; minute++) {
      metrics.sample(now + minute * MINUTE_MS, EMPTY);
      metrics.dropExpired(now + minute * MINUTE_MS);
    }
    assert.equal(metrics.chunkCount, 0);
    const after = metrics.series(now + (METRIC_MINUTES + 60) * MINUTE_MS, METRIC_MINUTES);
    assert.ok(after.received.every((n) => n === 0));
    assert.ok(after.visible.every((n) => n === 0));
    assert.equal(metrics.receivedTotal, 3 * METRIC_MINUTES, "totals outlive the history");
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
