import type { MessageAttributes, ReceivedMessage } from "../../engine/message-types.ts";
import type { ReceiveMessageRequest } from "../../engine/receive-messages.ts";
import { defineAction } from "../action.ts";
import { integer, optional, required, string, stringList } from "../shapes.ts";

export const receiveMessage = defineAction<ReceiveMessageRequest & { QueueUrl: string }>({
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
  run({ engine, queueName, onAbandon }, input) {
    // Only a receive that waits needs to hear that its client hung up.
    const received = engine.receiveMessage(queueName(input.QueueUrl), input, onAbandon);
    return received instanceof Promise ? received.then(output) : output(received);
  },
});

function output(messages: ReceivedMessage[]): object {
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
