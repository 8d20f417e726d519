import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { createBroker } from "../../../src/broker/create-broker.ts";
import { sqsClient } from "../../support/broker-harness.ts";
import { runCli, startCli } from "../../support/cli-process.ts";
import { waitUntil } from "../../support/wait-until.ts";

describe("mailroom todo demo", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-todo-demo-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("cuts renders with coalescing: a burst of ticks costs each user a few renders, not one per tick", async () => {
    // Given 6 users ticking off 8 items each, with and without coalescing, 2 workers
    const report = join(dataDir, "report.json");
    const exit = await runCli(
      [
        "todo",
        "demo",
        "--users",
        "6",
        "--items",
        "8",
        // Relative to where it runs, as a user types it: the logs line says it so too
        "--data-dir",
        "todo-data",
        "--report-json",
        report,
        // Longer waits than the defaults: this test runs beside others on a busy
        // machine, where a request can stall for a few hundred ms mid-burst.
        "--debounce-ms",
        "400",
        "--debounce-max-ms",
        "1000",
      ],
      { timeoutMs: 120_000, cwd: dataDir },
    );
    assert.equal(exit.code, 0, exit.stderr);
    // The demo's target is judged by the demo, as bench targets are: how many
    // renders a user gets depends on how fast its ticks go out, which a busy
    // host stretches past the longest debounce (2.6 s for 8 ticks once: 3 renders).
    assert.match(exit.stdout, /^target: at most 2 renders per user: (met|MISSED) \(max \d+\)$/m);
    assert.match(exit.stdout, /; logs in todo-data\/demo\/coalesced$/m);
    const { results } = JSON.parse(readFileSync(report, "utf8")) as {
      results: {
        mode: string;
        renders: number;
        maxRendersPerUser: number;
        superseded: number;
        freshnessMs: number[];
      }[];
    };
    const [coalesced, every] = results;
    // Then coalescing renders at most half the ticks of any user and skips the rest...
    assert.equal(coalesced!.mode, "coalesced");
    assert.ok(
      coalesced!.maxRendersPerUser <= 4,
      `max ${coalesced!.maxRendersPerUser} renders per user`,
    );
    assert.equal(coalesced!.renders + coalesced!.superseded, 48);
    // ...where rendering every change renders every tick,
    assert.equal(every!.mode, "every-change");
    assert.equal(every!.renders, 48);
    assert.equal(every!.maxRendersPerUser, 8);
    // and every calendar ends up showing its user's last tick.
    for (const result of results) assert.equal(result.freshnessMs.length, 6);
  });
});

describe("mailroom todo demo, stopped", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-todo-demo-stop-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("by SIGTERM mid-run: says so in one line, exits 143, and deletes its queues from a shared broker", async () => {
    // Given a demo on a broker of the test's, well into its first run
    const broker = createBroker({ inMemory: true, host: "127.0.0.1", port: 0 });
    const { endpoint } = await broker.listen();
    const sqs = sqsClient(endpoint);
    const demoQueues = async () =>
      (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "todo-demo-" }))).QueueUrls ?? [];
    try {
      const demo = startCli([
        ...["todo", "demo", "--users", "20", "--items", "50", "--data-dir", dataDir],
        ...["--endpoint-url", endpoint],
      ]);
      await demo.waitFor(/^running coalesced\.\.\.$/m);
      await waitUntil(async () => (await demoQueues()).length === 2, 30_000, "the run's queues");

      // When it is stopped
      const exit = await demo.stop("SIGTERM");

      // Then it says so, not as a failure, and leaves no queue behind
      assert.equal(exit.code, 143, exit.stderr);
      assert.equal(
        exit.stderr,
        "mailroom: todo demo stopped by SIGTERM before a run ended; nothing was measured\n",
      );
      assert.deepEqual(await demoQueues(), []);
    } finally {
      sqs.destroy();
      await broker.close();
    }
  });
});

describe("mailroom todo demo, a process dies", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-todo-demo-dies-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  /**
   * Starts a demo (on the broker at `endpoint`, or on one of its own) and
   * waits until its first run is under way: its workers rendered a calendar.
   */
  async function demoUnderWay(endpoint?: string) {
    const runDir = mkdtempSync(join(dataDir, "run-"));
    const demo = startCli([
      ...["todo", "demo", "--users", "20", "--items", "50", "--data-dir", runDir],
      ...(endpoint === undefined ? [] : ["--endpoint-url", endpoint]),
    ]);
    const calendars = join(runDir, "demo", "coalesced", "calendars");
    await demo.waitFor(/^running coalesced\.\.\.$/m);
    await waitUntil(
      async () => existsSync(calendars) && readdirSync(calendars).length > 0,
      30_000,
      "a rendered calendar",
    );
    return demo;
  }

  it("its todo app SIGKILLed: says which process died and how, in one line, exit 1", async () => {
    // Given a demo well into its first run
    const broker = createBroker({ inMemory: true, host: "127.0.0.1", port: 0 });
    const { endpoint } = await broker.listen();
    try {
      const demo = await demoUnderWay(endpoint);

      // When its todo app is killed
      process.kill(childPid(demo.child.pid!, / todo (?!demo)/), "SIGKILL");
      const exit = await demo.exited;

      // Then the demo names it, without a stack trace
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(
        exit.stderr,
        /^mailroom: the todo app was killed by SIGKILL mid-run; see \S+\n$/,
      );
    } finally {
      await broker.close();
    }
  });

  it("a worker SIGKILLed: seen at once, one line naming it, exit 1, no listener warnings", async () => {
    // Given a demo well into its first run
    const broker = createBroker({ inMemory: true, host: "127.0.0.1", port: 0 });
    const { endpoint } = await broker.listen();
    try {
      const demo = await demoUnderWay(endpoint);

      // When one of its workers is killed
      process.kill(childPid(demo.child.pid!, / worker /), "SIGKILL");
      const exit = await Promise.race([
        demo.exited,
        sleep(10_000).then(() => demo.stop("SIGKILL")),
      ]);

      // Then the demo stops within seconds and says which worker died and how, in one line
      assert.equal(exit.code, 1, exit.stderr.slice(0, 2000));
      assert.match(exit.stderr, /^mailroom: worker \d was killed by SIGKILL mid-run; see \S+\n$/);
    } finally {
      await broker.close();
    }
  });

  it("its own broker SIGKILLed: seen at once, one line naming it, exit 1", async () => {
    // Given a demo well into its first run, on a broker it started
    const demo = await demoUnderWay();

    // When that broker is killed
    process.kill(childPid(demo.child.pid!, / server --in-memory /), "SIGKILL");
    const exit = await Promise.race([demo.exited, sleep(10_000).then(() => demo.stop("SIGKILL"))]);

    // Then the demo stops within seconds and says so, in one line
    assert.equal(exit.code, 1, exit.stderr.slice(0, 2000));
    assert.match(exit.stderr, /^mailroom: the broker was killed by SIGKILL mid-run; see \S+\n$/);
  });
});

/** The pid of the child of `parent` whose command line matches `pattern`. */
function childPid(parent: number, pattern: RegExp): number {
  const lines = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], {
    encoding: "utf8",
  })
    .trim()
    .split("\n");
  const line = lines.find((text) => pattern.test(text));
  assert.ok(line, `no child matching ${pattern} in\n${lines.join("\n")}`);
  return Number(line.trim().split(" ")[0]);
}

describe("mailroom todo and worker usage errors", () => {
  for (const args of [
    ["worker", "--concurrency", "0"],
    ["worker", "--fail-rate", "2"],
    ["worker", "--bogus"],
    ["todo", "--port", "http"],
    ["todo", "--calendar-dir", "a", "--calendar-bucket", "b"],
    ["todo", "--endpoint-url", "nowhere"],
    ["todo", "demo", "--users", "0"],
    ["todo", "demo", "--mode", "fastest"],
    ["todo", "demo", "--queue", "mine"],
    ["todo", "--no-coalesce", "demo"],
    ["todo", "--debounce-ms", "1000", "--debounce-max-ms", "500"],
    ["todo", "demo", "--debounce-ms", "1000", "--debounce-max-ms", "500"],
  ]) {
    it(`mailroom ${args.join(" ")}: one line, exit 2`, async () => {
      const exit = await runCli(args);
      assert.equal(exit.code, 2, exit.stderr);
      const lines = exit.stderr.trim().split("\n");
      assert.equal(lines.length, 1, exit.stderr);
      assert.match(lines[0]!, /^mailroom: /);
    });
  }
});
