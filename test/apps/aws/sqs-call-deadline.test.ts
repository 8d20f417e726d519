import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { it } from "node:test";
import { SQS_ANSWER_TIMEOUT_MS, sqsCallSignal } from "../../../src/apps/aws/sqs-call-deadline.ts";

/** The collector, callable without `node --expose-gc`. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

it("a call's deadline combined with a stop signal fires after a garbage collection", async () => {
  // Given the signal of a call that may also be stopped, as a receive loop's is
  const stop = new AbortController();
  const signal = sqsCallSignal({ stop: stop.signal });

  // When the garbage collector runs while the call waits for its answer
  collectGarbage();

  // Then the deadline still cuts the call off (Node 20 had dropped its timer)
  await sleep(SQS_ANSWER_TIMEOUT_MS + 500);
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as Error).name, "TimeoutError");
  assert.equal(stop.signal.aborted, false);
});
