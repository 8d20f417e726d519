import { defineAction } from "../action.ts";
import { optional, required, string, tagMap } from "../shapes.ts";

export const listQueueTags = defineAction<{ QueueUrl: string }>({
  name: "ListQueueTags",
  input: { QueueUrl: required(string) },
  output: { Tags: optional(tagMap, "Tag") },
  run({ engine, queueName }, input) {
    const tags = engine.listQueueTags(queueName(input.QueueUrl));
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  },
});
