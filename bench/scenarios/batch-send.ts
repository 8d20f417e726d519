import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

/** SendMessageBatch of 10 x 100 bytes per request; messages/s counts successful entries. */
export function batchSendScenario(variant: ScenarioVariant): Scenario {
  return {
    ...variant,
    async run(context) {
      const queueUrl = await context.session.createQueue(`bench-${variant.name}`);
      const result = await context.generator.run({
        ...jobBase(variant, context, queueUrl),
        type: "load",
        request: "send-batch",
        warmupMs: context.options.warmupMs,
        durationMs: context.options.durationMs,
      });
      return measurementOf(result);
    },
  };
}

export const batchSend = batchSendScenario({ name: "batch", title: "SendMessageBatch (10)" });
