import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const listQueueTags = defineAction<{ QueueUrl: string }>({
  name: "ListQueueTags",
  input: { QueueUrl: required(string) },
  run({ engine, queueName }, input) {
    const tags = engine.listQueueTags(queueName(input.QueueUrl));
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  },
});
