import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../support/cli-process.ts";

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** `mailroom pipeline` is what `npm start` runs: the whole system with nothing set up. */
describe("mailroom pipeline (npm start)", { timeout: 180_000 }, () => {
  it("runs broker, producer and consumers to the end and reports a matching result", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    // When: a small run with two consumers, on disk as by default.
    const exit = await runCli(
      ["pipeline", "--requests", "300", "--consumers", "2", "--seed", "42", "--data-dir", dataDir],
      { timeoutMs: 150_000 },
    );
    // Then: it exits 0 with a closing summary that checked the widgets...
    assert.equal(exit.code, 0, `${exit.stdout}\n${exit.stderr}`);
    assert.match(
      exit.stdout,
      /requests produced\s+300 \(\d+ create, \d+ update, \d+ delete\), seed 42, plus 3 invalid/,
    );
    const check = exit.stdout.match(
      /check\s+all (\d+) widgets equal the state the produced requests lead to/,
    );
    assert.ok(check, exit.stdout);
    // ...which are really there, one file per widget...
    const owners = await readdir(join(dataDir, "widgets"));
    let files = 0;
    for (const owner of owners) files += (await readdir(join(dataDir, "widgets", owner))).length;
    assert.equal(files, Number(check[1]));
    // ...and names the three invalid requests set aside, with their reasons.
    assert.match(exit.stdout, /set aside\s+3, in the dead-letter queue cs5260-requests-dlq/);
    assert.match(
      exit.stdout,
      /1 x invalid request: type must be one of create, update, delete; got "bad"/,
    );
    assert.match(exit.stdout, /1 x invalid request: owner is missing/);
    assert.match(exit.stdout, /1 x invalid request: the request is not valid JSON/);
  });

  it("rejects a bad flag with one line and exit code 2", async () => {
    const exit = await runCli(["pipeline", "--consumers", "0"]);
    assert.equal(exit.code, 2);
    assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    assert.match(exit.stderr, /--consumers must be a whole number, 1 to 64; got "0"/);
  });
});
