import { defineAction } from "../action.ts";
import { required, string, stringMap } from "../shapes.ts";

export const setQueueAttributes = defineAction<{
  QueueUrl: string;
  Attributes: Record<string, string>;
}>({
  name: "SetQueueAttributes",
  input: { QueueUrl: required(string), Attributes: required(stringMap, "Attribute") },
  output: {},
  run({ engine, queueName }, input) {
    engine.setQueueAttributes(queueName(input.QueueUrl), input.Attributes);
    return {};
  },
});
