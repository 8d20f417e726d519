import { defineAction } from "../action.ts";
import { optional, required, string, stringMap, tagMap } from "../shapes.ts";

export const createQueue = defineAction<{
  QueueName: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}>({
  name: "CreateQueue",
  input: {
    QueueName: required(string),
    Attributes: optional(stringMap, "Attribute"),
    tags: optional(tagMap, "Tag"),
  },
  output: { QueueUrl: optional(string) },
  run(context, input) {
    const name = context.engine.createQueue(input.QueueName, input.Attributes, input.tags);
    return { QueueUrl: context.queueUrl(name) };
  },
});
