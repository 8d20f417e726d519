import type { BatchResult } from "../../engine/sqs-engine.ts";
import { defineAction } from "../action.ts";
import { writeBatchResult, writeIdEntry } from "../json-text.ts";
import { required, string } from "../shapes.ts";

export const deleteMessageBatch = defineAction<
  {
    QueueUrl: string;
    Entries: Array<{ Id: string; ReceiptHandle: string }>;
  },
  BatchResult<{ Id: string }>
>({
  name: "DeleteMessageBatch",
  input: {
    QueueUrl: required(string),
    Entries: required(
      {
        type: "list",
        member: {
          type: "structure",
          members: { Id: required(string), ReceiptHandle: required(string) },
        },
      },
      "DeleteMessageBatchRequestEntry",
    ),
  },
  run({ engine, queueName }, input) {
    return engine.deleteMessageBatch(queueName(input.QueueUrl), input.Entries);
  },
  writeJson: (result) => writeBatchResult(result, writeIdEntry),
});
