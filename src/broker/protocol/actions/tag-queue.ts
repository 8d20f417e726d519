import { defineAction } from "../action.ts";
import { required, string, tagMap } from "../shapes.ts";

export const tagQueue = defineAction<{ QueueUrl: string; Tags: Record<string, string> }>({
  name: "TagQueue",
  input: { QueueUrl: required(string), Tags: required(tagMap, "Tag", ["Tags"]) },
  output: {},
  run({ engine, queueName }, input) {
    engine.tagQueue(queueName(input.QueueUrl), input.Tags);
    return {};
  },
});
