import { batchSendScenario } from "./batch-send.ts";
import { shallowDrainScenario } from "./drain.ts";
import type { ScenarioVariant } from "./scenario.ts";
import { singleSendScenario } from "./single-send.ts";

/**
 * fauxqs answers SQS in AWS JSON only (its form-encoded endpoint is SNS's),
 * so the Query scenarios measure Mailroom alone.
 */
const MAILROOM_ONLY: ScenarioVariant["onlyFor"] = {
  targets: ["mailroom"],
  reason: "fauxqs 1.9.2 speaks SQS in AWS JSON only",
};

/** `send` in AWS Query: form-encoded SendMessage, XML answer. */
export const querySend = singleSendScenario({
  name: "query-send",
  title: "Query SendMessage (single)",
  protocol: "query",
  twins: ["send"],
  onlyFor: MAILROOM_ONLY,
});

/** `batch` in AWS Query: entries counted from `<SendMessageBatchResultEntry>`. */
export const queryBatch = batchSendScenario({
  name: "query-batch",
  title: "Query SendMessageBatch (10)",
  protocol: "query",
  twins: ["batch"],
  onlyFor: MAILROOM_ONLY,
});

/** `drain-shallow` in AWS Query: fill, receive and delete batch all form-encoded. */
export const queryDrain = shallowDrainScenario({
  name: "query-drain",
  title: "Query drain shallow (receive 10 + delete batch)",
  protocol: "query",
  twins: ["drain-shallow"],
  onlyFor: MAILROOM_ONLY,
});
