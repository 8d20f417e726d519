import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** Message groups the FIFO sends rotate over (the number). */
export const FIFO_GROUPS = 64;

/**
 * Single SendMessage to a FIFO queue with content-based dedup, groups in
 * round robin. Bodies are all distinct, so dedup hashes every body but drops
 * nothing.
 */
export const fifoSend: Scenario = {
  name: "fifo",
  title: `FIFO SendMessage (${FIFO_GROUPS} groups)`,
  async run(context) {
    const { session, generator, options } = context;
    const queueUrl = await session.createQueue("bench-fifo.fifo", {
      FifoQueue: "true",
      ContentBasedDeduplication: "true",
    });
    const result = await generator.run({
      ...jobBase(fifoSend, context, queueUrl),
      type: "load",
      request: "send-fifo",
      groups: FIFO_GROUPS,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
    });
    return measurementOf(result);
  },
};
