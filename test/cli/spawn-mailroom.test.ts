import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import { spawnMailroom } from "../../src/cli/spawn-mailroom.ts";

/** How a command run by another (the demos' brokers, apps and workers) ends with it. */
describe("a mailroom child process", { timeout: 60_000 }, () => {
  it("stops as on SIGTERM when its parent's end of stdin closes, as it does when the parent dies", async () => {
    const child = spawnMailroom(
      ["server", "--in-memory", "--host", "127.0.0.1", "--port", "0", "--no-console"],
      { stdout: "pipe" },
    );
    const exited = once(child, "exit");
    try {
      let stdout = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      for (let wait = 0; !/listening on/.test(stdout) && wait < 300; wait += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(stdout, /listening on/);
      // When the parent's end closes (here by hand; the kernel does it when a parent dies)
      child.stdin!.end();
      // Then the server stops cleanly, as on SIGTERM
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
      assert.match(stdout, /Mailroom SQS broker stopped/);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
