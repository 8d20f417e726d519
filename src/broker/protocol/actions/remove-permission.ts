import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const removePermission = defineAction<{ QueueUrl: string; Label: string }>({
  name: "RemovePermission",
  input: { QueueUrl: required(string), Label: required(string) },
  output: {},
  run({ engine, queueName }, input) {
    engine.removePermission(queueName(input.QueueUrl), input.Label);
    return {};
  },
});
