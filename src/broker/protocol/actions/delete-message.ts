import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const deleteMessage = defineAction<{ QueueUrl: string; ReceiptHandle: string }>({
  name: "DeleteMessage",
  input: { QueueUrl: required(string), ReceiptHandle: required(string) },
  output: {},
  run({ engine, queueName }, input) {
    engine.deleteMessage(queueName(input.QueueUrl), input.ReceiptHandle);
    return {};
  },
});
