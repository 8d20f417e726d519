import { createQueue } from "../sqs-admin.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** SendMessageBatch of 10 x 100 bytes per request; messages/s counts successful entries. */
export const batchSend: Scenario = {
  name: "batch",
  title: "SendMessageBatch (10)",
  async run({ session, generator, options }) {
    const queueUrl = await createQueue(session.server.origin, "bench-batch");
    const result = await generator.run({
      type: "load",
      request: "send-batch",
      origin: session.server.origin,
      serverPid: session.server.pid,
      queueUrl,
      concurrency: options.concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
    });
    return measurementOf(result);
  },
};
