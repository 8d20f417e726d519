import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { systemClock } from "../../src/broker/engine/clock.ts";
import { startTestBroker } from "../support/broker-harness.ts";
import { runCli } from "../support/cli-process.ts";
import { call, startTodoApp } from "../apps/todo/todo-processes.ts";

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

const TEXT_LINE = /^\d{2}:\d{2}:\d{2}\.\d{3} (warning: |error: )?\S.*$/;
const PROCESSING = /Processing a CREATE request into .+ for \S+$/;

/** A consumer's run over a folder of three create requests, logging with `--log-format format`. */
async function consumeThreeCreates(format: string) {
  const dir = await mkdtemp(join(tmpdir(), "mailroom-log-format-"));
  tempDirs.push(dir);
  const requestDir = join(dir, "requests");
  const produced = await runCli([
    "producer",
    "--request-dir",
    requestDir,
    "--max-widget-requests",
    "3",
    "--inter-request-delay",
    "0",
    "--seed",
    "7",
  ]);
  assert.equal(produced.code, 0, produced.stderr);
  const exit = await runCli([
    "consumer",
    "--request-dir",
    requestDir,
    "--widget-dir",
    join(dir, "widgets"),
    "--max-runtime",
    "1500",
    "--log-format",
    format,
  ]);
  assert.equal(exit.code, 0, exit.stderr);
  return exit.stderr.trimEnd().split("\n");
}

describe("--log-format", () => {
  it("text: the course's lines as plain text, each with its time", async () => {
    const lines = await consumeThreeCreates("text");
    for (const line of lines) assert.match(line, TEXT_LINE);
    assert.equal(lines.filter((line) => PROCESSING.test(line)).length, 3, lines.join("\n"));
    assert.ok(
      lines.some((line) => line.endsWith(" No requests found, waiting")),
      lines.join("\n"),
    );
  });

  it("text, from a queue: 'No requests found, waiting' once for a spell of empty polls", async () => {
    const broker = await startTestBroker({ clock: systemClock });
    try {
      const dir = await mkdtemp(join(tmpdir(), "mailroom-log-format-"));
      tempDirs.push(dir);
      const exit = await runCli([
        "consumer",
        "--request-queue",
        await broker.createQueue(),
        "--endpoint-url",
        broker.endpoint,
        "--widget-dir",
        join(dir, "widgets"),
        "--queue-wait-timeout",
        "1",
        "--max-runtime",
        "3500",
        "--log-format",
        "text",
      ]);
      assert.equal(exit.code, 0, exit.stderr);
      const lines = exit.stderr.trimEnd().split("\n");
      // Three or so empty long polls of 1 s, one line for them all.
      const waiting = lines.filter((line) => line.endsWith(" No requests found, waiting"));
      assert.equal(waiting.length, 1, lines.join("\n"));
    } finally {
      await broker.close();
    }
  });

  it("json: one JSON object per line, the course's words in msg", async () => {
    const lines = await consumeThreeCreates("json");
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; name: string });
    assert.equal(entries.filter((entry) => PROCESSING.test(entry.msg)).length, 3, lines.join("\n"));
    assert.ok(entries.every((entry) => entry.name === "mailroom-consumer"));
  });

  for (const args of [
    ["consumer", "--request-dir", "x", "--widget-dir", "y"],
    ["producer", "--request-dir", "x"],
    ["server", "--in-memory"],
    ["maker"],
    ["maker-consumer", "--request-queue", "q", "--response-queue", "r"],
    ["barrier", "participant", "--id", "p1"],
  ]) {
    it(`mailroom ${args[0]} --log-format xml: one line, exit 2`, async () => {
      const exit = await runCli([...args, "--log-format", "xml"]);
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(
        exit.stderr,
        "mailroom: option '--log-format <format>' argument 'xml' is invalid. " +
          "Allowed choices are auto, text, json. (run with --help for usage)\n",
      );
    });
  }

  it("text with --log-file: one line, exit 2 (a log file is always JSON)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mailroom-log-format-"));
    tempDirs.push(dir);
    const exit = await runCli([
      "consumer",
      "--request-dir",
      join(dir, "requests"),
      "--widget-dir",
      join(dir, "widgets"),
      "--log-file",
      join(dir, "consumer.log"),
      "--log-format",
      "text",
    ]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.match(
      exit.stderr,
      /^mailroom: --log-format text is for stderr; a --log-file is always JSON lines/,
    );
    assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
  });

  it("text: an error's cause that its message already quotes is not repeated", async () => {
    // Given a Todo app whose broker has gone away
    const dir = await mkdtemp(join(tmpdir(), "mailroom-log-cause-"));
    tempDirs.push(dir);
    const broker = await startTestBroker({ clock: systemClock });
    const app = await startTodoApp(broker.endpoint, dir, ["--log-format", "text"]);
    try {
      await broker.close();

      // When a change cannot enqueue its calendar job
      await call(`${app.url}/users/ann/items`, { method: "POST", body: { title: "x" } });
      const [line] = await app.cli.waitFor(
        /^.*cannot enqueue a calendar job.*$/m,
        20_000,
        "stderr",
      );

      // Then the line gives the cause once
      assert.match(line, /: connect ECONNREFUSED [\d.:]+$/);
      assert.equal(line.split("ECONNREFUSED").length, 2, line);
    } finally {
      await app.cli.stop("SIGKILL");
    }
  });
});
