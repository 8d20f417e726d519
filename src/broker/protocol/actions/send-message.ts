import type { SendMessageRequest, SendMessageResult } from "../../engine/message-types.ts";
import { defineAction } from "../action.ts";
import {
  integer,
  messageAttributeMap,
  optional,
  plainString,
  required,
  string,
} from "../shapes.ts";
import type { Members } from "../shapes.ts";

/** The members of one message, shared by SendMessage and SendMessageBatch entries. */
export const messageMembers: Members = {
  MessageBody: required(string),
  DelaySeconds: optional(integer),
  MessageAttributes: optional(messageAttributeMap, "MessageAttribute"),
  MessageSystemAttributes: optional(messageAttributeMap, "MessageSystemAttribute"),
  MessageDeduplicationId: optional(string),
  MessageGroupId: optional(string),
};

export const sendMessage = defineAction<
  SendMessageRequest & { QueueUrl: string },
  SendMessageResult
>({
  name: "SendMessage",
  input: { QueueUrl: required(string), ...messageMembers },
  // In the order recorded from SQS (MessageId first), not the model's.
  output: {
    MessageId: optional(plainString),
    MD5OfMessageBody: optional(plainString),
    MD5OfMessageAttributes: optional(plainString),
    MD5OfMessageSystemAttributes: optional(plainString),
    SequenceNumber: optional(plainString),
  },
  run({ engine, queueName, senderId, traceHeader }, input) {
    return engine.sendMessage(
      queueName(input.QueueUrl),
      withTraceHeader(input, traceHeader),
      senderId,
    );
  },
});

/** An X-Amzn-Trace-Id header becomes the AWSTraceHeader system attribute, unless one was given. */
function withTraceHeader<T extends SendMessageRequest>(
  input: T,
  traceHeader: string | undefined,
): T {
  if (!traceHeader || input.MessageSystemAttributes?.AWSTraceHeader) return input;
  return {
    ...input,
    MessageSystemAttributes: {
      ...input.MessageSystemAttributes,
      AWSTraceHeader: { DataType: "String", StringValue: traceHeader },
    },
  };
}
