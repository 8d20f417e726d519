import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const MODULE = fileURLToPath(new URL("../../src/cli/stop-on-signals.ts", import.meta.url));

/**
 * A process that stops on its first signal but takes its time about it (it
 * never ends by itself): a job told by `stopOnSignals`, or a server awaiting `untilStopped`.
 */
function slowStopper(kind: "job" | "server") {
  const listen =
    kind === "job"
      ? `stopOnSignals((signal) => console.log("stopping on " + signal));`
      : `untilStopped().then((signal) => console.log("stopping on " + signal));`;
  const script =
    `const { stopOnSignals, untilStopped } = await import(${JSON.stringify(MODULE)});` +
    listen +
    `setInterval(() => undefined, 1000);` +
    `console.log("ready");`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const waitFor = async (text: string) => {
    for (let wait = 0; !stdout.includes(text) && wait < 200; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(stdout.includes(text), stdout);
  };
  return { child, waitFor };
}

describe("stopping on signals", { timeout: 60_000 }, () => {
  for (const [kind, first, second, code] of [
    ["job", "SIGINT", "SIGINT", 130],
    ["job", "SIGINT", "SIGTERM", 143],
    ["job", "SIGTERM", "SIGINT", 130],
    ["server", "SIGTERM", "SIGTERM", 143],
    ["server", "SIGINT", "SIGINT", 130],
  ] as const) {
    it(`${kind}: ${first} asks to stop; ${second} after it exits at once with ${code}`, async () => {
      const { child, waitFor } = slowStopper(kind);
      try {
        await waitFor("ready");
        const exited = once(child, "exit");
        child.kill(first);
        await waitFor(`stopping on ${first}`);
        child.kill(second);
        const [exitCode] = (await exited) as [number | null];
        assert.equal(exitCode, code);
      } finally {
        child.kill("SIGKILL");
      }
    });
  }

  it("lets dozens of calls in flight listen to the stop signal with no leak warning", async () => {
    // As a web app's SendMessageBatch calls under load do, each adding an abort listener
    const { stopOnSignals } = await import("../../src/cli/stop-on-signals.ts");
    const stop = stopOnSignals();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      for (let call = 0; call < 50; call += 1) {
        stop.signal.addEventListener("abort", () => undefined);
      }
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.map((warning) => warning.name),
        [],
      );
    } finally {
      process.off("warning", onWarning);
      stop.dispose();
    }
  });
});
