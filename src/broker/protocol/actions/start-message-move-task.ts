import { defineAction } from "../action.ts";
import { integer, optional, required, string } from "../shapes.ts";

export const startMessageMoveTask = defineAction<{
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}>({
  name: "StartMessageMoveTask",
  input: {
    SourceArn: required(string),
    DestinationArn: optional(string),
    MaxNumberOfMessagesPerSecond: optional(integer),
  },
  output: { TaskHandle: optional(string) },
  run({ engine }, input) {
    const handle = engine.startMessageMoveTask(
      input.SourceArn,
      input.DestinationArn,
      input.MaxNumberOfMessagesPerSecond,
    );
    return { TaskHandle: handle };
  },
});
