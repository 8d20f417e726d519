import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BARRIER_PROTOCOL,
  encodeBarrierMessage,
  parseBarrierMessage,
} from "../../../src/apps/barrier/barrier-messages.ts";
import type { CheckInMessage, JoinMessage } from "../../../src/apps/barrier/barrier-messages.ts";
import { isLeftoverJoin } from "../../../src/apps/barrier/leftover-join.ts";
import { barrierQueueNames } from "../../../src/apps/barrier/barrier-names.ts";
import {
  formatDemoReport,
  formatDemoSuccess,
} from "../../../src/apps/barrier/barrier-demo-report.ts";
import { describeCoordinatorEvent } from "../../../src/apps/barrier/coordinator-events.ts";
import { BarrierRoster } from "../../../src/apps/barrier/barrier-roster.ts";
import { checkTimeline } from "../../../src/apps/barrier/timeline-check.ts";
import type { TimelineEntry, TimelineStep } from "../../../src/apps/barrier/timeline.ts";
import { formatTimelineLine, parseTimelineLine } from "../../../src/apps/barrier/timeline.ts";
import { parseWorkTime } from "../../../src/apps/barrier/work-time.ts";

const checkIn = (
  participant: string,
  round: number,
  incarnation = `${participant}-1`,
): CheckInMessage => ({
  kind: "check-in",
  session: "s",
  participant,
  incarnation,
  round,
});

describe("barrier messages", () => {
  it("round-trips every field and rejects anything else", () => {
    const message = checkIn("p1", 2);
    assert.deepEqual(parseBarrierMessage(encodeBarrierMessage(message)), message);
    assert.equal(parseBarrierMessage("p1 completed phase 1"), undefined);
    assert.equal(
      parseBarrierMessage(JSON.stringify({ ...message, protocol: "other/1" })),
      undefined,
    );
    assert.equal(
      parseBarrierMessage(JSON.stringify({ protocol: BARRIER_PROTOCOL, ...message, round: 0 })),
      undefined,
    );
    assert.equal(
      parseBarrierMessage(
        JSON.stringify({ protocol: BARRIER_PROTOCOL, kind: "release", round: 1 }),
      ),
      undefined,
    );
  });

  it("reads a join from a participant of before joins carried their wait, and counts it live", () => {
    const body = JSON.stringify({
      protocol: BARRIER_PROTOCOL,
      kind: "join",
      participant: "p1",
      incarnation: "p1-1",
    });
    const join = parseBarrierMessage(body);
    assert.deepEqual(join, { kind: "join", participant: "p1", incarnation: "p1-1" });
    assert.equal(isLeftoverJoin(join as JoinMessage, 3_600_000), false);
    const waited = { ...(join as JoinMessage), welcomeWaitMs: 30_000 };
    assert.equal(isLeftoverJoin(waited, 30_001), true);
    assert.equal(isLeftoverJoin(waited, 29_999), false);
    assert.equal(isLeftoverJoin(waited, undefined), false);
    assert.equal(
      parseBarrierMessage(JSON.stringify({ ...JSON.parse(body), welcomeWaitMs: "30s" })),
      undefined,
    );
  });

  it("derives queue names and refuses ids SQS cannot name a queue with", () => {
    const names = barrierQueueNames("b");
    assert.equal(names.checkIn, "b-checkin");
    assert.equal(names.release("p1"), "b-release-p1");
    assert.throws(() => names.release("p 1"), /participant id must be/);
    assert.throws(() => barrierQueueNames("b.fifo"), /barrier name must be/);
  });
});

describe("barrier roster", () => {
  it("counts distinct participants, not messages", () => {
    const roster = new BarrierRoster(3);
    assert.deepEqual(roster.recordCheckIn(checkIn("p1", 1)), { kind: "counted", count: 1 });
    assert.deepEqual(roster.recordCheckIn(checkIn("p1", 1)), { kind: "duplicate" });
    assert.deepEqual(roster.recordCheckIn(checkIn("p2", 1)), { kind: "counted", count: 2 });
    assert.equal(roster.complete(), false);
    assert.equal(roster.describeMissing(), "1 that never joined");
    assert.deepEqual(roster.recordCheckIn(checkIn("p3", 1)), { kind: "counted", count: 3 });
    assert.equal(roster.complete(), true);
  });

  it("ignores old rounds, refuses a second process with a member's id and latecomers", () => {
    const roster = new BarrierRoster(2);
    roster.recordCheckIn(checkIn("p1", 1));
    roster.recordCheckIn(checkIn("p2", 1));
    roster.nextRound();
    assert.deepEqual(roster.recordCheckIn(checkIn("p1", 1)), { kind: "stale" });
    assert.deepEqual(roster.recordCheckIn(checkIn("p1", 3)), { kind: "ahead" });
    assert.equal(roster.recordCheckIn(checkIn("p1", 2, "p1-restarted")).kind, "rejected");
    assert.equal(roster.recordCheckIn(checkIn("p3", 1)).kind, "rejected");
    assert.deepEqual(roster.recordCheckIn(checkIn("p2", 2)), { kind: "counted", count: 1 });
    assert.equal(roster.describeMissing(), "p1");
  });

  it("tells every process that joined under an id of an abort, a leftover join of an earlier run too", () => {
    const roster = new BarrierRoster(2);
    roster.recordJoin("a", "left-over");
    roster.recordJoin("a", "live");
    assert.deepEqual(
      roster
        .abortRecipients()
        .map(({ incarnation }) => incarnation)
        .sort(),
      ["left-over", "live"],
    );
    // However many leftovers came before, the newest join is kept
    for (let n = 0; n < 20; n++) roster.recordJoin("b", `old-${n}`);
    roster.recordJoin("b", "live-b");
    const forB = roster.abortRecipients().filter(({ participant }) => participant === "b");
    assert.ok(forB.some(({ incarnation }) => incarnation === "live-b"));
    assert.ok(forB.length <= 16);
  });

  it("names the processes that joined but are not members, each once, with why they cannot take part", () => {
    const roster = new BarrierRoster(2);
    for (const id of ["p1", "p2", "p3", "p4"]) roster.recordJoin(id, `${id}-1`);
    roster.recordJoin("p1", "p1-again");
    roster.recordCheckIn(checkIn("p1", 1));
    roster.recordCheckIn(checkIn("p2", 1));
    // p4 checked in too late, and was told then
    assert.equal(roster.recordCheckIn(checkIn("p4", 1)).kind, "rejected");
    assert.deepEqual(roster.latecomers(), [
      {
        recipient: { participant: "p1", incarnation: "p1-again" },
        reason:
          "participant id p1 is already taken by another process in this run (a restarted participant cannot rejoin; restart the whole barrier)",
      },
      {
        recipient: { participant: "p3", incarnation: "p3-1" },
        reason: "the barrier already has its 2 participants (p1, p2)",
      },
    ]);
    roster.nextRound();
    assert.equal(
      roster.latecomers()[1]!.reason,
      "the barrier already has its 2 participants (p1, p2) and is past round 1",
    );
  });

  it("with expected ids, names the missing ones from round 1 and refuses others", () => {
    const roster = new BarrierRoster(3, ["a", "b", "c"]);
    assert.equal(roster.recordCheckIn(checkIn("x", 1)).kind, "rejected");
    roster.recordCheckIn(checkIn("b", 1));
    assert.equal(roster.describeMissing(), "a, c");
  });
});

describe("timeline check", () => {
  const entry = (
    participant: string,
    round: number,
    step: TimelineStep,
    at: number,
  ): TimelineEntry => ({
    participant,
    round,
    step,
    at,
  });

  it("parses the lines participants print", () => {
    const e = entry("p3", 2, "phase 1 ended", Date.UTC(2025, 2, 1, 10, 15, 2, 318));
    assert.equal(formatTimelineLine(e), "2025-03-01T10:15:02.318Z p3 round 2: phase 1 ended");
    assert.deepEqual(parseTimelineLine(formatTimelineLine(e)), e);
    assert.equal(parseTimelineLine("p3 joined session x"), undefined);
  });

  it("fails a round where a phase 2 began before the last phase 1 ended", () => {
    const entries = [
      entry("p1", 1, "phase 1 ended", 100),
      entry("p2", 1, "phase 1 ended", 300),
      entry("p1", 1, "phase 2 began", 250),
      entry("p2", 1, "phase 2 began", 310),
    ];
    const [check] = checkTimeline(entries, ["p1", "p2"], 1);
    assert.equal(check!.problem, "p1's phase 2 began before p2's phase 1 ended");
    const [ok] = checkTimeline(
      entries.map((e) => (e.step === "phase 2 began" ? { ...e, at: e.at + 100 } : e)),
      ["p1", "p2"],
      1,
    );
    assert.equal(ok!.problem, undefined);
    const [incomplete] = checkTimeline(entries.slice(1), ["p1", "p2"], 1);
    assert.equal(incomplete!.problem, "no phase 1 end reported by p1");
  });

  it("reads --work-ms as a time or a range", () => {
    assert.deepEqual(parseWorkTime("300"), { minMs: 300, maxMs: 300 });
    assert.deepEqual(parseWorkTime("100-500"), { minMs: 100, maxMs: 500 });
    assert.throws(() => parseWorkTime("500-100"), /--work-ms must be/);
  });
});

describe("barrier wording", () => {
  it("says a one-round, one-participant barrier in the singular", () => {
    assert.equal(describeCoordinatorEvent({ kind: "finished", rounds: 1 }), "round 1 released");
    assert.equal(
      describeCoordinatorEvent({ kind: "finished", rounds: 3 }),
      "all 3 rounds released",
    );
    assert.equal(
      describeCoordinatorEvent({ kind: "released", round: 1, participants: ["p1"] }),
      "round 1: p1 checked in; released p1",
    );
    assert.equal(
      describeCoordinatorEvent({ kind: "released", round: 2, participants: ["p1", "p2", "p3"] }),
      "round 2: all 3 checked in; released p1, p2, p3",
    );
    assert.match(formatDemoSuccess(1), /^round 1 OK: /);
    assert.match(formatDemoSuccess(3), /^all 3 rounds OK: /);
  });

  it("leaves no empty lines in the demo's timeline for a round nobody reached", () => {
    const lines = formatDemoReport({
      startedAt: 1000,
      participants: ["p1"],
      entries: [
        { at: 1010, participant: "p1", round: 1, step: "phase 1 ended" },
        { at: 1020, participant: "p1", round: 1, step: "phase 2 began" },
      ],
      checks: [{ round: 1 }, { round: 2, problem: "no phase 1 end reported by p1" }],
      exits: [],
      ok: false,
    });
    assert.deepEqual(lines.slice(0, 6), [
      "Timeline (ms since the demo started):",
      "",
      "      +10 ms  round 1  p1    phase 1 ended",
      "      +20 ms  round 1  p1    phase 2 began",
      "",
      "Checks:",
    ]);
  });
});
