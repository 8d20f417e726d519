import type { RequestKind } from "../load/jobs.ts";
import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

/**
 * A closed-loop scenario: a fresh queue, then `request` back to back from
 * every connection for the warm-up and measured window, in `variant`'s
 * protocol (signed when the session's server checks signatures).
 */
export function closedLoopScenario(variant: ScenarioVariant, request: RequestKind): Scenario {
  return {
    ...variant,
    async run(context) {
      const queueUrl = await context.session.createQueue(`bench-${variant.name}`);
      const result = await context.generator.run({
        ...jobBase(variant, context, queueUrl),
        type: "load",
        request,
        warmupMs: context.options.warmupMs,
        durationMs: context.options.durationMs,
      });
      return measurementOf(result);
    },
  };
}
