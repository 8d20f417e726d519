import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const deleteQueue = defineAction<{ QueueUrl: string }>({
  name: "DeleteQueue",
  input: { QueueUrl: required(string) },
  output: {},
  run({ engine, queueName }, input) {
    engine.deleteQueue(queueName(input.QueueUrl));
    return {};
  },
});
