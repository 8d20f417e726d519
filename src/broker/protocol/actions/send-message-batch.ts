import type { SendMessageRequest, SendMessageResult } from "../../engine/message-types.ts";
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
import { messageMembers } from "./send-message.ts";

export const sendMessageBatch = defineAction<
  { QueueUrl: string; Entries: Array<SendMessageRequest & { Id: string }> },
  BatchResult<SendMessageResult & { Id: string }>
>({
  name: "SendMessageBatch",
  input: {
    QueueUrl: required(string),
    Entries: required(
      listOf(structure({ Id: required(string), ...messageMembers })),
      "SendMessageBatchRequestEntry",
    ),
  },
  output: {
    Successful: required(
      listOf(
        structure({
          Id: required(plainString),
          MessageId: required(plainString),
          MD5OfMessageBody: required(plainString),
          MD5OfMessageAttributes: optional(plainString),
          MD5OfMessageSystemAttributes: optional(plainString),
          SequenceNumber: optional(plainString),
        }),
      ),
      "SendMessageBatchResultEntry",
    ),
    Failed: optional(listOf(batchResultErrorEntry), "BatchResultErrorEntry"),
  },
  run({ engine, queueName, senderId }, input) {
    return engine.sendMessageBatch(queueName(input.QueueUrl), input.Entries, senderId);
  },
});
