import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { readMemory } from "../proc-stats.ts";
import { createQueue, queueDepth } from "../sqs-admin.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** Polls GetQueueAttributes until the queue shows `count` messages; resolves with the ms it took. */
async function waitForDepth(
  origin: string,
  queueUrl: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const startedAt = performance.now();
  let depth = Number.NaN;
  while (performance.now() - startedAt < timeoutMs) {
    depth = await queueDepth(origin, queueUrl).catch(() => Number.NaN);
    if (depth === count) return performance.now() - startedAt;
    await sleep(50);
  }
  throw new Error(`queue shows ${depth} messages, expected ${count}, after ${timeoutMs / 1000} s`);
}

/**
 * Fill 1,000,000 x 100-byte messages with batches, read the broker's RSS,
 * then SIGTERM it, start it again on the same data dir and time until
 * ListQueues answers and the queue shows all the messages again.
 */
export const million: Scenario = {
  name: "million",
  title: "1M queued: RSS and restart",
  async run({ session, generator, options, log }) {
    const count = options.millionCount;
    const queueUrl = await createQueue(session.server.origin, "bench-million");
    const fill = await generator.run(
      {
        type: "fill",
        origin: session.server.origin,
        serverPid: session.server.pid,
        queueUrl,
        concurrency: options.concurrency,
        count,
        progressEvery: Math.max(10_000, Math.round(count / 10)),
      },
      log,
    );
    const measurement = measurementOf(fill);
    measurement.details.count = count;
    measurement.details.fillSeconds = fill.elapsedMs / 1000;
    await waitForDepth(session.server.origin, queueUrl, count, 60_000);
    // A moment for the broker to finish what the last batches left (GC, WAL checkpoint) before RSS is read.
    await sleep(1000);
    const filled = readMemory(session.server.pid);
    if (filled !== undefined) {
      measurement.details.rssMiB = filled.rssMiB;
      measurement.details.fillPeakRssMiB = filled.peakRssMiB;
      measurement.peakRssMiB = filled.peakRssMiB;
    }
    log(`${count.toLocaleString("en-US")} queued; RSS ${filled?.rssMiB.toFixed(0) ?? "?"} MiB`);
    // In memory, a restart would only lose the million; the report says so once per target.
    if (!session.target.durable) return measurement;

    log("SIGTERM and restart on the same data dir");
    const restart = await session.restart();
    const restoreMs = await waitForDepth(session.server.origin, queueUrl, count, 120_000);
    await sleep(1000); // the same settling time as after the fill, so the two RSS readings compare
    const restarted = readMemory(session.server.pid);
    measurement.details.stopMs = restart.stopMs;
    measurement.details.readyMs = restart.readyMs;
    measurement.details.restartMs = restart.readyMs + restoreMs;
    if (restarted !== undefined) {
      measurement.details.restartRssMiB = restarted.rssMiB;
      measurement.details.restartPeakRssMiB = restarted.peakRssMiB;
      measurement.peakRssMiB = Math.max(measurement.peakRssMiB ?? 0, restarted.peakRssMiB);
    }
    log(
      `restarted: stop ${(restart.stopMs / 1000).toFixed(2)} s, ListQueues after ${(restart.readyMs / 1000).toFixed(2)} s, ` +
        `${count.toLocaleString("en-US")} visible after ${(measurement.details.restartMs / 1000).toFixed(2)} s`,
    );
    return measurement;
  },
};
