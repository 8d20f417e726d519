import { defineAction } from "../action.ts";
import { integer, listOf, optional, required, string, structure } from "../shapes.ts";

export const listMessageMoveTasks = defineAction<{ SourceArn: string; MaxResults?: number }>({
  name: "ListMessageMoveTasks",
  input: { SourceArn: required(string), MaxResults: optional(integer) },
  output: {
    Results: optional(
      listOf(
        structure({
          TaskHandle: optional(string),
          Status: optional(string),
          SourceArn: optional(string),
          DestinationArn: optional(string),
          MaxNumberOfMessagesPerSecond: optional(integer),
          ApproximateNumberOfMessagesMoved: optional(integer),
          ApproximateNumberOfMessagesToMove: optional(integer),
          FailureReason: optional(string),
          StartedTimestamp: optional(integer),
        }),
      ),
      "ListMessageMoveTasksResultEntry",
    ),
  },
  run({ engine }, input) {
    return { Results: engine.listMessageMoveTasks(input.SourceArn, input.MaxResults) };
  },
});
