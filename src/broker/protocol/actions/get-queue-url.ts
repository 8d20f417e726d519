import { errors } from "../../engine/errors.ts";
import { defineAction } from "../action.ts";
import { optional, required, string } from "../shapes.ts";

export const getQueueUrl = defineAction<{ QueueName: string; QueueOwnerAWSAccountId?: string }>({
  name: "GetQueueUrl",
  input: { QueueName: required(string), QueueOwnerAWSAccountId: optional(string) },
  output: { QueueUrl: optional(string) },
  run(context, input) {
    const { engine } = context;
    const owner = input.QueueOwnerAWSAccountId;
    if (owner !== undefined && owner !== engine.location.accountId)
      throw errors.queueDoesNotExist();
    engine.assertQueueExists(input.QueueName);
    return { QueueUrl: context.queueUrl(input.QueueName) };
  },
});
