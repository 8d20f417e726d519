import type { BatchResult } from "../../engine/sqs-engine.ts";
import { defineAction } from "../action.ts";
import { writeBatchResult, writeIdEntry } from "../json-text.ts";
import { integer, optional, required, string } from "../shapes.ts";

export const changeMessageVisibilityBatch = defineAction<
  {
    QueueUrl: string;
    Entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout?: number }>;
  },
  BatchResult<{ Id: string }>
>({
  name: "ChangeMessageVisibilityBatch",
  input: {
    QueueUrl: required(string),
    Entries: required(
      {
        type: "list",
        member: {
          type: "structure",
          members: {
            Id: required(string),
            ReceiptHandle: required(string),
            VisibilityTimeout: optional(integer),
          },
        },
      },
      "ChangeMessageVisibilityBatchRequestEntry",
    ),
  },
  run({ engine, queueName }, input) {
    return engine.changeMessageVisibilityBatch(queueName(input.QueueUrl), input.Entries);
  },
  writeJson: (result) => writeBatchResult(result, writeIdEntry),
});
