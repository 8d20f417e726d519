import type { BatchResult } from "../../engine/sqs-engine.ts";
import { defineAction } from "../action.ts";
import {
  batchResultErrorEntry,
  listOf,
  optional,
  plainString,
  required,
  string,
  structure,
} from "../shapes.ts";

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
      listOf(structure({ Id: required(string), ReceiptHandle: required(string) })),
      "DeleteMessageBatchRequestEntry",
    ),
  },
  output: {
    Successful: required(
      listOf(structure({ Id: required(plainString) })),
      "DeleteMessageBatchResultEntry",
    ),
    Failed: optional(listOf(batchResultErrorEntry), "BatchResultErrorEntry"),
  },
  run({ engine, queueName }, input) {
    return engine.deleteMessageBatch(queueName(input.QueueUrl), input.Entries);
  },
});
