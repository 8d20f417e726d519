import { defineAction } from "../action.ts";
import { required, string } from "../shapes.ts";

export const cancelMessageMoveTask = defineAction<{ TaskHandle: string }>({
  name: "CancelMessageMoveTask",
  input: { TaskHandle: required(string) },
  run({ engine }, input) {
    return { ApproximateNumberOfMessagesMoved: engine.cancelMessageMoveTask(input.TaskHandle) };
  },
});
