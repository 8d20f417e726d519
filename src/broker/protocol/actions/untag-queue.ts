import { defineAction } from "../action.ts";
import { required, string, stringList } from "../shapes.ts";

export const untagQueue = defineAction<{ QueueUrl: string; TagKeys: string[] }>({
  name: "UntagQueue",
  input: { QueueUrl: required(string), TagKeys: required(stringList, "TagKey") },
  output: {},
  run({ engine, queueName }, input) {
    engine.untagQueue(queueName(input.QueueUrl), input.TagKeys);
    return {};
  },
});
