import { defineAction } from "../action.ts";
import { integer, optional, required, string } from "../shapes.ts";

export const listMessageMoveTasks = defineAction<{ SourceArn: string; MaxResults?: number }>({
  name: "ListMessageMoveTasks",
  input: { SourceArn: required(string), MaxResults: optional(integer) },
  run({ engine }, input) {
    return { Results: engine.listMessageMoveTasks(input.SourceArn, input.MaxResults) };
  },
});
