import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { handledCount } from "../../src/apps/consumer/consumer-stats.ts";
import type { ConsumerStats } from "../../src/apps/consumer/consumer-stats.ts";
import { browserSkip, launchBrowser, openPage } from "../support/browser.ts";
import { runCli, startCli } from "../support/cli-process.ts";

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** The processes (Linux: read from /proc) whose command line names `text`: a run's consumers name its folder. */
async function processesNaming(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (commandLine.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/** Waits (at most `ms`) until no process names `text`, and returns those still there. */
async function processesOutlasting(text: string, ms: number): Promise<number[]> {
  const deadline = performance.now() + ms;
  let pids = await processesNaming(text);
  while (pids.length > 0 && performance.now() < deadline) {
    await sleep(100);
    pids = await processesNaming(text);
  }
  return pids;
}

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
    // Then: it exits 0, its first line counting the invalid requests it mixes in,
    assert.equal(exit.code, 0, `${exit.stdout}\n${exit.stderr}`);
    assert.match(
      exit.stdout.split("\n")[0]!,
      /^Mailroom widget pipeline: 300 requests plus 3 invalid, 2 consumers, standard queue, seed 42$/,
    );
    // with a closing summary that checked the widgets...
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

  it("--keep-up: the broker and console stay up after the run with the run's charts and dead letters, until Ctrl-C", async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    const run = startCli([
      "pipeline",
      "--requests",
      "60",
      "--consumers",
      "1",
      "--in-memory",
      "--data-dir",
      dataDir,
      "--keep-up",
    ]);
    // The console's address comes first, so it can be watched during the run...
    const [, earlyUrl] = await run.waitFor(/^Console on (http:\/\/\S+\/) \(it stays up/m, 60_000);
    const [, consoleUrl] = await run.waitFor(/console\s+(http:\/\/\S+\/) \(broker/, 150_000);
    // ...and is the one the summary gives again.
    assert.equal(consoleUrl, earlyUrl);
    assert.match(run.stdout(), /#\/queues\/cs5260-requests\/monitoring/);

    // The run's history is there: 60 requests and 3 invalid ones sent, the invalid ones set aside.
    const metrics = (await (
      await fetch(new URL("_mailroom/metrics/cs5260-requests?minutes=60", consoleUrl))
    ).json()) as { metrics: { NumberOfMessagesSent: number[] } };
    const sent = metrics.metrics.NumberOfMessagesSent.reduce((sum, value) => sum + value, 0);
    assert.equal(sent, 63);
    const { queues } = (await (await fetch(new URL("_mailroom/queues", consoleUrl))).json()) as {
      queues: { name: string; visible: number }[];
    };
    assert.equal(queues.find((queue) => queue.name === "cs5260-requests-dlq")?.visible, 3);

    if (browserSkip === undefined) {
      const browser = await launchBrowser();
      try {
        const { page } = await openPage(
          browser,
          `${consoleUrl}#/queues/cs5260-requests/monitoring`,
        );
        await page
          .locator('[data-metric="NumberOfMessagesSent"] figcaption', { hasText: "sum 63" })
          .waitFor();
      } finally {
        await browser.close();
      }
    } else {
      t.diagnostic(`no browser check: ${browserSkip}`);
    }

    const exit = await run.stop("SIGINT");
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /Broker and console stopped/);
  });

  it("ends cleanly when the run is over before every consumer has started", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    // A handful of requests for eight consumers: the first ones up do them all,
    // and the others are stopped while still starting.
    const exit = await runCli(
      ["pipeline", "--requests", "5", "--consumers", "8", "--in-memory", "--data-dir", dataDir],
      { timeoutMs: 150_000 },
    );
    assert.equal(exit.code, 0, `${exit.stdout}\n${exit.stderr}`);
    // The run's seed is random, so any count of widgets may be left: the check
    // is worded for none, one and many.
    assert.match(
      exit.stdout,
      /check\s+(all \d+ widgets equal|the 1 widget equals|no widgets, as in) the state/,
    );
    assert.equal(exit.stderr, "");
  });

  it("SIGTERM stops a run: its consumers finish what they hold and exit, and it says how far it got; a second run on the folder meanwhile is refused", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    const args = ["pipeline", "--requests", "100000", "--consumers", "2", "--in-memory"];
    const run = startCli([...args, "--data-dir", dataDir]);
    await run.waitFor(/requests \(\d+%\)/, 60_000);
    assert.equal((await processesNaming(dataDir)).length, 3, "the pipeline and 2 consumers");

    // A second pipeline on the same folder would empty it under the first one.
    const second = await runCli(["pipeline", "--requests", "5", "--data-dir", dataDir]);
    assert.equal(second.code, 1, second.stderr);
    assert.equal(
      second.stderr,
      `mailroom: --data-dir ${dataDir} is in use by another pipeline that is still running ` +
        "(with --keep-up, until it is stopped): stop it, or give another --data-dir\n",
    );
    assert.ok((await readdir(join(dataDir, "consumers"))).length > 0, "the first run's files stay");

    const exit = await run.stop("SIGTERM");
    assert.equal(exit.code, 143, exit.stderr);
    const stopped = exit.stderr.match(
      /^mailroom: stopped by SIGTERM with ([\d,]+) of 100,003 requests handled, so the widgets were not checked; what was done is in /,
    );
    assert.ok(stopped, exit.stderr);
    // The count is the consumers' own, taken after they finished what they held.
    let handled = 0;
    for (const n of [1, 2]) {
      const stats = join(dataDir, "consumers", `consumer-${n}.json`);
      handled += handledCount(JSON.parse(await readFile(stats, "utf8")) as ConsumerStats);
    }
    assert.equal(stopped[1], handled.toLocaleString("en-US"));
    assert.deepEqual(
      await processesNaming(dataDir),
      [],
      "the consumers exited before the pipeline",
    );
    // Each consumer stopped on its own terms (its closing line in its log), not killed.
    for (const n of [1, 2]) {
      const log = await readFile(join(dataDir, "consumers", `consumer-${n}.log`), "utf8");
      assert.match(log, /"msg":"stopping: finishing the requests in hand"/);
    }
  });

  it("its consumers stop when the pipeline is killed outright, and ignore the shell's AWS settings", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    const args = ["pipeline", "--requests", "100000", "--consumers", "2", "--in-memory"];
    // A profile that does not exist, and an SQS endpoint of the shell's, are not this run's.
    const env = { AWS_PROFILE: "no-such-profile", MAILROOM_SQS_ENDPOINT_URL: "http://127.0.0.1:9" };
    const run = startCli([...args, "--data-dir", dataDir], { env });
    const [, handled] = await run.waitFor(/([\d,]*[1-9][\d,]*)\/100,003 requests/, 60_000);
    assert.ok(handled, "the consumers handle requests");
    await run.stop("SIGKILL");
    assert.deepEqual(await processesOutlasting(dataDir, 20_000), []);
  });

  it("refuses a --data-dir holding files a run did not make, and leaves them be", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    await writeFile(join(dataDir, "notes.txt"), "mine");
    const exit = await runCli(["pipeline", "--requests", "5", "--data-dir", dataDir]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: --data-dir ${dataDir} holds files a pipeline run did not make ("notes.txt"), ` +
        "and a run empties its folder first: give a new or empty folder\n",
    );
    assert.equal(exit.stdout, "");
    assert.deepEqual(await readdir(dataDir), ["notes.txt"]);
  });

  it("refuses a --data-dir holding only a consumer's widgets, and leaves them be", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(dataDir);
    await mkdir(join(dataDir, "widgets", "owner"), { recursive: true });
    await writeFile(join(dataDir, "widgets", "owner", "w1"), "{}");
    const exit = await runCli(["pipeline", "--requests", "5", "--data-dir", dataDir]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: --data-dir ${dataDir} holds "widgets" but no pipeline run ` +
        "(a consumer's --widget-dir, perhaps), and a run empties its folder first: give a new or empty folder\n",
    );
    assert.deepEqual(await readdir(join(dataDir, "widgets", "owner")), ["w1"]);
  });

  it("refuses a --data-dir under a file, saying which part may be the file", async () => {
    const parent = await mkdtemp(join(tmpdir(), "mailroom-pipeline-"));
    tempDirs.push(parent);
    await writeFile(join(parent, "a-file"), "");
    const dataDir = join(parent, "a-file", "run");
    const exit = await runCli(["pipeline", "--requests", "5", "--data-dir", dataDir]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: --data-dir ${dataDir}: it, or a folder above it, is a file\n`,
    );
  });

  it("rejects a bad flag with one line and exit code 2", async () => {
    const exit = await runCli(["pipeline", "--consumers", "0"]);
    assert.equal(exit.code, 2);
    assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    assert.match(exit.stderr, /--consumers must be a whole number, 1 to 64; got "0"/);
  });
});
