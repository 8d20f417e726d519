import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const purgeQueue = defineAction<{ QueueUrl: string }>({
  name: "PurgeQueue",
  input: { QueueUrl: required(string) },
  output: {},
  run({ engine, queueName }, input) {
    engine.purgeQueue(queueName(input.QueueUrl));
    return {};
  },
});
