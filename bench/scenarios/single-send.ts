import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

/** SendMessage of one 100-byte message per request, back to back, in `variant`'s protocol. */
export function singleSendScenario(variant: ScenarioVariant): Scenario {
  return {
    ...variant,
    async run(context) {
      const queueUrl = await context.session.createQueue(`bench-${variant.name}`);
      const result = await context.generator.run({
        ...jobBase(variant, context, queueUrl),
        type: "load",
        request: "send",
        warmupMs: context.options.warmupMs,
        durationMs: context.options.durationMs,
      });
      return measurementOf(result);
    },
  };
}

export const singleSend = singleSendScenario({ name: "send", title: "SendMessage (single)" });
