import { defineAction } from "../action.ts";
import { optional, required, string, stringList, stringMap } from "../shapes.ts";

export const getQueueAttributes = defineAction<{ QueueUrl: string; AttributeNames?: string[] }>({
  name: "GetQueueAttributes",
  input: { QueueUrl: required(string), AttributeNames: optional(stringList, "AttributeName") },
  output: { Attributes: optional(stringMap, "Attribute") },
  run({ engine, queueName }, input) {
    const attributes = engine.getQueueAttributes(
      queueName(input.QueueUrl),
      input.AttributeNames ?? [],
    );
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },
});
