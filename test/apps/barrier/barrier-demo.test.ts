import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { describe, it } from "node:test";
import { runCli, startCli } from "../../support/cli-process.ts";

const TIMELINE_ROW = /^\s+\+(\d+) ms\s+round (\d+)\s+(\S+)\s+(phase 1 ended|phase 2 began)$/;

interface Row {
  ms: number;
  round: number;
  participant: string;
  step: string;
}

describe("mailroom barrier demo", () => {
  it("refuses up front more participants than it can start, in one line, exit 2", async () => {
    const limit = 25 * availableParallelism();
    const exit = await runCli(["barrier", "demo", "--participants", String(limit + 1)]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    assert.match(exit.stderr, new RegExp(`at most ${limit}: 25 per CPU core`));
    assert.equal(exit.stdout, "");
  });

  it("stopped by SIGTERM, stops its processes and says so in one line, not as a failed run", async () => {
    const demo = startCli([
      ...["barrier", "demo", "--participants", "3", "--rounds", "100", "--work-ms", "200-400"],
    ]);
    await demo.waitFor(/^Barrier demo: 3 participants/m);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const exit = await demo.stop("SIGTERM");
    assert.equal(exit.code, 143, exit.stderr);
    assert.equal(
      exit.stderr,
      "mailroom: barrier demo stopped by SIGTERM before its rounds ended; nothing was checked\n",
    );
    assert.doesNotMatch(exit.stdout, /FAILED/);
  });

  it("runs 5 participant processes for 3 rounds and no phase 2 starts before the last phase 1 ends", async () => {
    // Given a demo on its own in-process broker, with real coordinator and participant processes
    const exit = await runCli(
      ["barrier", "demo", "--participants", "5", "--rounds", "3", "--work-ms", "50-300"],
      { timeoutMs: 120_000 },
    );

    // Then it succeeds and says so for each round
    assert.equal(exit.code, 0, `demo failed\n${exit.stdout}\n${exit.stderr}`);
    for (const round of [1, 2, 3]) {
      assert.match(
        exit.stdout,
        new RegExp(
          `^round ${round}: last phase 1 ended at \\+\\d+ ms \\(p\\d\\), first phase 2 began at \\+\\d+ ms \\(p\\d\\): OK$`,
          "m",
        ),
      );
    }

    // And its timeline, checked here rather than trusted, has every participant
    // in every round and no phase 2 before the round's last phase 1 ended
    const rows: Row[] = exit.stdout.split("\n").flatMap((line) => {
      const match = TIMELINE_ROW.exec(line);
      return match
        ? [
            {
              ms: Number(match[1]),
              round: Number(match[2]),
              participant: match[3]!,
              step: match[4]!,
            },
          ]
        : [];
    });
    const everyone = ["p1", "p2", "p3", "p4", "p5"];
    for (const round of [1, 2, 3]) {
      const ends = rows.filter((row) => row.round === round && row.step === "phase 1 ended");
      const starts = rows.filter((row) => row.round === round && row.step === "phase 2 began");
      assert.deepEqual(ends.map((row) => row.participant).sort(), everyone, `round ${round} ends`);
      assert.deepEqual(
        starts.map((row) => row.participant).sort(),
        everyone,
        `round ${round} starts`,
      );
      const lastEnd = Math.max(...ends.map((row) => row.ms));
      const firstStart = Math.min(...starts.map((row) => row.ms));
      assert.ok(
        firstStart >= lastEnd,
        `round ${round}: a phase 2 began at +${firstStart} ms before the last phase 1 ended at +${lastEnd} ms`,
      );
    }
    // Rounds follow each other: round r+1's phase 1 ends come after round r's releases
    for (const round of [2, 3]) {
      const previousFirstStart = Math.min(
        ...rows.filter((r) => r.round === round - 1 && r.step === "phase 2 began").map((r) => r.ms),
      );
      const ends = rows.filter((r) => r.round === round && r.step === "phase 1 ended");
      assert.ok(ends.every((row) => row.ms >= previousFirstStart));
    }
  });
});
