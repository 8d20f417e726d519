import type { ReceivedMessage } from "../../engine/message-types.ts";
import type { ReceiveMessageRequest } from "../../engine/receive-messages.ts";
import { defineAction } from "../action.ts";
import {
  ignoredBeside,
  integer,
  listOf,
  messageAttributeMap,
  optional,
  plainString,
  required,
  string,
  stringList,
  stringMap,
  structure,
} from "../shapes.ts";

export const receiveMessage = defineAction<
  ReceiveMessageRequest & { QueueUrl: string },
  { Messages?: ReceivedMessage[] }
>({
  name: "ReceiveMessage",
  input: {
    QueueUrl: required(string),
    // Given both, SQS reads one list: MessageSystemAttributeNames in JSON, AttributeNames
    // in Query (recorded: docs/reference/aws-sqs-behaviour.md, §5).
    AttributeNames: ignoredBeside(optional(stringList, "AttributeName"), {
      json: "MessageSystemAttributeNames",
    }),
    MessageSystemAttributeNames: ignoredBeside(optional(stringList, "MessageSystemAttributeName"), {
      query: "AttributeNames",
    }),
    MessageAttributeNames: optional(stringList, "MessageAttributeName"),
    MaxNumberOfMessages: optional(integer),
    VisibilityTimeout: optional(integer),
    WaitTimeSeconds: optional(integer),
    ReceiveRequestAttemptId: optional(string),
  },
  output: {
    Messages: optional(
      listOf(
        // In the order recorded from SQS (MD5OfMessageAttributes before Body), not the model's.
        structure({
          MessageId: optional(plainString),
          ReceiptHandle: optional(plainString),
          MD5OfBody: optional(plainString),
          MD5OfMessageAttributes: optional(plainString),
          Body: optional(string),
          Attributes: optional(stringMap, "Attribute"),
          MessageAttributes: optional(messageAttributeMap, "MessageAttribute"),
        }),
      ),
      "Message",
    ),
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
});

function output(messages: ReceivedMessage[]): { Messages?: ReceivedMessage[] } {
  return messages.length > 0 ? { Messages: messages } : {};
}
