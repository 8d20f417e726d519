import { createQueue } from "../sqs-admin.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** SendMessage of one 100-byte message per request, back to back. */
export const singleSend: Scenario = {
  name: "send",
  title: "SendMessage (single)",
  async run({ session, generator, options }) {
    const queueUrl = await createQueue(session.server.origin, "bench-send");
    const result = await generator.run({
      type: "load",
      request: "send",
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
