import { defineAction } from "../action.ts";
import { required, string, stringList } from "../shapes.ts";

export const addPermission = defineAction<{
  QueueUrl: string;
  Label: string;
  AWSAccountIds: string[];
  Actions: string[];
}>({
  name: "AddPermission",
  input: {
    QueueUrl: required(string),
    Label: required(string),
    AWSAccountIds: required(stringList, "AWSAccountId"),
    Actions: required(stringList, "ActionName"),
  },
  output: {},
  run({ engine, queueName }, input) {
    engine.addPermission(
      queueName(input.QueueUrl),
      input.Label,
      input.AWSAccountIds,
      input.Actions,
    );
    return {};
  },
});
