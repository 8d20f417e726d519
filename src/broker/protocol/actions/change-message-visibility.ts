import { defineAction } from "../action.ts";
import { integer, required, string } from "../shapes.ts";

export const changeMessageVisibility = defineAction<{
  QueueUrl: string;
  ReceiptHandle: string;
  VisibilityTimeout: number;
}>({
  name: "ChangeMessageVisibility",
  input: {
    QueueUrl: required(string),
    ReceiptHandle: required(string),
    VisibilityTimeout: required(integer),
  },
  output: {},
  run({ engine, queueName }, input) {
    engine.changeMessageVisibility(
      queueName(input.QueueUrl),
      input.ReceiptHandle,
      input.VisibilityTimeout,
    );
    return {};
  },
});
