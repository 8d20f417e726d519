import type { BatchResult } from "../../engine/sqs-engine.ts";
import { defineAction } from "../action.ts";
import {
  batchResultErrorEntry,
  integer,
  listOf,
  optional,
  plainString,
  required,
  string,
  structure,
} from "../shapes.ts";

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
      listOf(
        structure({
          Id: required(string),
          ReceiptHandle: required(string),
          VisibilityTimeout: optional(integer),
        }),
      ),
      "ChangeMessageVisibilityBatchRequestEntry",
    ),
  },
  output: {
    Successful: required(
      listOf(structure({ Id: required(plainString) })),
      "ChangeMessageVisibilityBatchResultEntry",
    ),
    Failed: optional(listOf(batchResultErrorEntry), "BatchResultErrorEntry"),
  },
  run({ engine, queueName }, input) {
    return engine.changeMessageVisibilityBatch(queueName(input.QueueUrl), input.Entries);
  },
});
