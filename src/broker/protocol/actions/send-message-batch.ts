import type { SendMessageRequest } from "../../engine/message-types.ts";
import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";
import { messageMembers } from "./send-message.ts";

export const sendMessageBatch = defineAction<{
  QueueUrl: string;
  Entries: Array<SendMessageRequest & { Id: string }>;
}>({
  name: "SendMessageBatch",
  input: {
    QueueUrl: required(string),
    Entries: required(
      {
        type: "list",
        member: { type: "structure", members: { Id: required(string), ...messageMembers } },
      },
      "SendMessageBatchRequestEntry",
    ),
  },
  run({ engine, queueName, senderId }, input) {
    return engine.sendMessageBatch(queueName(input.QueueUrl), input.Entries, senderId);
  },
});
