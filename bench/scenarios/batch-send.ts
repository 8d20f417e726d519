import { closedLoopScenario } from "./closed-loop.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

/** SendMessageBatch of 10 x 100 bytes per request; messages/s counts successful entries. */
export function batchSendScenario(variant: ScenarioVariant): Scenario {
  return closedLoopScenario(variant, "send-batch");
}

export const batchSend = batchSendScenario({ name: "batch", title: "SendMessageBatch (10)" });
