import { defineAction } from "../action.ts";
import { integer, optional, required, string } from "../shapes.ts";

export const cancelMessageMoveTask = defineAction<{ TaskHandle: string }>({
  name: "CancelMessageMoveTask",
  input: { TaskHandle: required(string) },
  output: { ApproximateNumberOfMessagesMoved: optional(integer) },
  run({ engine }, input) {
    return { ApproximateNumberOfMessagesMoved: engine.cancelMessageMoveTask(input.TaskHandle) };
  },
});
