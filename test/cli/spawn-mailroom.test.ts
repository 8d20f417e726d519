import assert from "node:assert/strict";
import { once } from "node:events";
import type { ChildProcess } from "node:child_process";
import { describe, it } from "node:test";
import { spawnMailroom } from "../../src/cli/spawn-mailroom.ts";

/** A broker as a demo's child, once it listens; `output()` is its stdout so far. */
async function startChildBroker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawnMailroom(
    ["server", "--in-memory", "--host", "127.0.0.1", "--port", "0", "--no-console"],
    { stdout: "pipe" },
  );
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  for (let wait = 0; !/listening on/.test(stdout) && wait < 300; wait += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(stdout, /listening on/);
  return { child, output: () => stdout };
}

/** How a command run by another (the demos' brokers, apps and workers) ends with it. */
describe("a mailroom child process", { timeout: 60_000 }, () => {
  it("stops as on SIGTERM when its parent's end of stdin closes, as it does when the parent dies", async () => {
    const { child, output } = await startChildBroker();
    try {
      const exited = once(child, "exit");
      // When the parent's end closes (here by hand; the kernel does it when a parent dies)
      child.stdin!.end();
      // Then the server stops cleanly, as on SIGTERM
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
      assert.match(output(), /Mailroom SQS broker stopped/);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("stops cleanly though its parent's ends of stdout and stderr are gone too (EPIPE)", async () => {
    const { child } = await startChildBroker();
    try {
      const exited = once(child, "exit");
      // As when the parent dies: every pipe to it closes
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.stdin!.end();
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
