import type { MessageAttributes, ReceivedMessage } from "../../engine/message-types.ts";
import type { ReceiveMessageRequest } from "../../engine/receive-messages.ts";
import { defineAction } from "../action.ts";
import { jsonString } from "../json-text.ts";
import { integer, optional, required, string, stringList } from "../shapes.ts";

export const receiveMessage = defineAction<
  ReceiveMessageRequest & { QueueUrl: string },
  { Messages?: ReceivedMessage[] }
>({
  name: "ReceiveMessage",
  input: {
    QueueUrl: required(string),
    AttributeNames: optional(stringList, "AttributeName"),
    MessageSystemAttributeNames: optional(stringList, "MessageSystemAttributeName"),
    MessageAttributeNames: optional(stringList, "MessageAttributeName"),
    MaxNumberOfMessages: optional(integer),
    VisibilityTimeout: optional(integer),
    WaitTimeSeconds: optional(integer),
    ReceiveRequestAttemptId: optional(string),
  },
  run(context, input) {
    // Only a receive that waits needs to hear that its client hung up.
    const received = context.engine.receiveMessage(
      context.queueName(input.QueueUrl),
      input,
      (cancel) => context.onAbandon(cancel),
    );
    return received instanceof Promise ? received.then(output) : output(received);
  },
  writeJson(output) {
    const messages = output.Messages;
    if (messages === undefined) return "{}";
    let text = '{"Messages":[';
    for (let i = 0; i < messages.length; i++) {
      text += i === 0 ? writeMessage(messages[i]!) : `,${writeMessage(messages[i]!)}`;
    }
    return `${text}]}`;
  },
});

function output(messages: ReceivedMessage[]): { Messages?: ReceivedMessage[] } {
  return messages.length > 0 ? { Messages: messages.map(withBase64Binaries) } : {};
}

/** Both wire protocols carry binary attribute values as base64. */
function withBase64Binaries(message: ReceivedMessage): ReceivedMessage {
  const attributes = message.MessageAttributes;
  if (!attributes || !Object.values(attributes).some((v) => v.BinaryValue !== undefined))
    return message;
  const encoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    encoded[name] =
      value.BinaryValue === undefined
        ? value
        : {
            DataType: value.DataType,
            BinaryValue: Buffer.from(value.BinaryValue).toString("base64"),
          };
  }
  return { ...message, MessageAttributes: encoded as unknown as MessageAttributes };
}

/**
 * One message, its members in the order toReceivedMessage sets them; the
 * attribute maps, when asked for, are left to JSON.stringify. Every member of
 * ReceivedMessage must be written here: the record below stops compiling
 * when the type gains one.
 */
function writeMessage(message: ReceivedMessage): string {
  let text = `{"MessageId":${jsonString(message.MessageId)},"ReceiptHandle":${jsonString(message.ReceiptHandle)},"MD5OfBody":${jsonString(message.MD5OfBody)},"Body":${jsonString(message.Body)}`;
  if (message.Attributes !== undefined)
    text += `,"Attributes":${JSON.stringify(message.Attributes)}`;
  if (message.MessageAttributes !== undefined) {
    text += `,"MessageAttributes":${JSON.stringify(message.MessageAttributes)}`;
  }
  if (message.MD5OfMessageAttributes !== undefined) {
    text += `,"MD5OfMessageAttributes":${jsonString(message.MD5OfMessageAttributes)}`;
  }
  return `${text}}`;
}

const WRITTEN_MESSAGE_MEMBERS: Record<keyof ReceivedMessage, true> = {
  MessageId: true,
  ReceiptHandle: true,
  MD5OfBody: true,
  Body: true,
  Attributes: true,
  MessageAttributes: true,
  MD5OfMessageAttributes: true,
};
void WRITTEN_MESSAGE_MEMBERS;
