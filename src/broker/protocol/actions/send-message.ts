import type { SendMessageRequest, SendMessageResult } from "../../engine/message-types.ts";
import { defineAction } from "../action.ts";
import { jsonString } from "../json-text.ts";
import { integer, messageAttributeMap, optional, required, string } from "../shapes.ts";
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
  run({ engine, queueName, senderId, traceHeader }, input) {
    return engine.sendMessage(
      queueName(input.QueueUrl),
      withTraceHeader(input, traceHeader),
      senderId,
    );
  },
  writeJson: (result) => `{${writeSendResultMembers(result)}}`,
});

/**
 * The members of a SendMessageResult, in the order the engine sets them.
 * Every member of SendMessageResult must be written here: the record below
 * stops compiling when the type gains one.
 */
export function writeSendResultMembers(result: SendMessageResult): string {
  let text = `"MessageId":${jsonString(result.MessageId)},"MD5OfMessageBody":${jsonString(result.MD5OfMessageBody)}`;
  if (result.MD5OfMessageAttributes !== undefined) {
    text += `,"MD5OfMessageAttributes":${jsonString(result.MD5OfMessageAttributes)}`;
  }
  if (result.MD5OfMessageSystemAttributes !== undefined) {
    text += `,"MD5OfMessageSystemAttributes":${jsonString(result.MD5OfMessageSystemAttributes)}`;
  }
  if (result.SequenceNumber !== undefined) {
    text += `,"SequenceNumber":${jsonString(result.SequenceNumber)}`;
  }
  return text;
}

const WRITTEN_SEND_RESULT_MEMBERS: Record<keyof SendMessageResult, true> = {
  MessageId: true,
  MD5OfMessageBody: true,
  MD5OfMessageAttributes: true,
  MD5OfMessageSystemAttributes: true,
  SequenceNumber: true,
};
void WRITTEN_SEND_RESULT_MEMBERS;

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
