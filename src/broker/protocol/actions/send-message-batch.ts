import type { SendMessageRequest, SendMessageResult } from "../../engine/message-types.ts";
import type { BatchResult } from "../../engine/sqs-engine.ts";
import { defineAction } from "../action.ts";
import { jsonString, writeBatchResult } from "../json-text.ts";
import { required, string } from "../shapes.ts";
import { messageMembers, writeSendResultMembers } from "./send-message.ts";

type Entry = SendMessageResult & { Id: string };

export const sendMessageBatch = defineAction<
  { QueueUrl: string; Entries: Array<SendMessageRequest & { Id: string }> },
  BatchResult<Entry>
>({
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
  writeJson: (result) => writeBatchResult(result, writeEntry),
});

function writeEntry(entry: Entry): string {
  return `{"Id":${jsonString(entry.Id)},${writeSendResultMembers(entry)}}`;
}
