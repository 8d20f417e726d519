import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startTestBroker } from "../support/broker-harness.ts";
import { startCli } from "../support/cli-process.ts";

describe("a command whose stdout is closed early (| head -1)", () => {
  it("goes on with its work and exits 0, with no EPIPE stack trace", async () => {
    const broker = await startTestBroker();
    try {
      const queueUrl = await broker.createQueue();
      const name = queueUrl.split("/").at(-1)!;
      // Given `queue send` whose reader stops reading at once
      const send = startCli([
        ...["queue", "send", "--name", name, "--client-name", "c", "--count", "300"],
        ...["--endpoint-url", broker.endpoint],
      ]);
      send.child.stdout!.destroy();

      // Then it sends all it was asked to, quietly
      const exit = await send.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.doesNotMatch(exit.stderr, /EPIPE|Error/);
      const counts = await broker.messageCounts(queueUrl);
      assert.equal(counts?.ApproximateNumberOfMessages, "300");
    } finally {
      await broker.close();
    }
  });
});
