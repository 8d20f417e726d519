import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** Long-poll wait of the consumers: they answer as soon as a message lands, so it only bounds idle polls. */
const WAIT_TIME_SECONDS = 1;

/**
 * Producers (single sends) and consumers (long-poll receive 10 + delete
 * batch) at once on one standard queue; messages/s is what consumers got,
 * latency is send-to-receive.
 */
export const endToEnd: Scenario = {
  name: "e2e",
  title: "End to end (send -> receive)",
  async run(context) {
    const { session, generator, options } = context;
    const queueUrl = await session.createQueue("bench-e2e");
    const consumers = options.concurrency - options.producers;
    const result = await generator.run({
      ...jobBase(endToEnd, context, queueUrl),
      type: "end-to-end",
      producers: options.producers,
      consumers,
      waitTimeSeconds: WAIT_TIME_SECONDS,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
    });
    const measurement = measurementOf(result, "send-to-receive");
    measurement.details.producers = options.producers;
    measurement.details.consumers = consumers;
    return measurement;
  },
};
