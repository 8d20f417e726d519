import { closedLoopScenario } from "./closed-loop.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

/** SendMessage of one 100-byte message per request, back to back, in `variant`'s protocol. */
export function singleSendScenario(variant: ScenarioVariant): Scenario {
  return closedLoopScenario(variant, "send");
}

export const singleSend = singleSendScenario({ name: "send", title: "SendMessage (single)" });
