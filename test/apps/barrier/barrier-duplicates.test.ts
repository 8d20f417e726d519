import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import type { CoordinatorEvent } from "../../../src/apps/barrier/coordinator-events.ts";
import { runCoordinator } from "../../../src/apps/barrier/coordinator.ts";
import { runParticipant } from "../../../src/apps/barrier/participant.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { handParticipant } from "./hand-participant.ts";

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 15_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("barrier duplicates and stale messages", () => {
  it("counts a participant's duplicate check-ins once and ignores other runs and old rounds", async () => {
    // Given a coordinator for 2 participants and 2 rounds
    const barrier = broker.uniqueName("dup");
    const events: CoordinatorEvent[] = [];
    const coordinator = runCoordinator({
      sqs: broker.sqs,
      barrier,
      participants: 2,
      rounds: 2,
      timeoutMs: 15_000,
      onEvent: (event) => events.push(event),
    });
    // And p1 played by hand, joined to the coordinator's session
    const p1 = await handParticipant(broker.sqs, barrier, "p1");
    const { session, incarnation } = await p1.join();
    const checkIn = (round: number) =>
      ({ kind: "check-in", session, participant: "p1", incarnation, round }) as const;

    // When p1 checks in to round 1 three times (a duplicate delivery and a resend),
    // and p9 checks in with the session of some earlier run
    await p1.send(checkIn(1));
    await p1.send(checkIn(1));
    await p1.send(checkIn(1));
    await p1.send({ ...checkIn(1), participant: "p9", session: "an-old-run" });
    await until(
      () => events.filter((e) => e.kind === "duplicate").length === 2,
      "two duplicate events",
    );
    await until(() => events.some((e) => e.kind === "stale"), "the stale event");

    // Then p1 counts once: 1 of 2, no release, and p9 took no place
    assert.deepEqual(
      events.filter((e) => e.kind === "checked-in"),
      [{ kind: "checked-in", round: 1, participant: "p1", count: 1, of: 2 }],
    );
    assert.ok(!events.some((e) => e.kind === "released"));
    assert.deepEqual(await p1.rest(), []);

    // When a real participant p2 arrives
    const p2 = runParticipant({
      sqs: broker.sqs,
      barrier,
      id: "p2",
      timeoutMs: 15_000,
      work: { minMs: 0, maxMs: 0 },
    });

    // Then round 1 is released, p1 gets exactly one release for it
    const release1 = await p1.next();
    assert.deepEqual(release1, { kind: "release", session, incarnation, round: 1 });
    // When p1 re-sends its round 1 check-in late, then checks in to round 2
    await p1.send(checkIn(1));
    await p1.send(checkIn(2));
    // Then round 2 is released once, and the run finishes
    const release2 = await p1.next();
    assert.deepEqual(release2, { kind: "release", session, incarnation, round: 2 });
    await p2;
    const result = await coordinator;
    assert.deepEqual(result.participants, ["p1", "p2"]);
    assert.deepEqual(await p1.rest(), []);

    const released = events.filter((e) => e.kind === "released");
    assert.deepEqual(
      released.map((e) => e.round),
      [1, 2],
    );
    // Each participant counted once per round, in whatever order they came
    const counted = events.filter((e) => e.kind === "checked-in");
    for (const round of [1, 2]) {
      const inRound = counted.filter((e) => e.round === round);
      assert.deepEqual(inRound.map((e) => e.participant).sort(), ["p1", "p2"]);
      assert.deepEqual(
        inRound.map((e) => e.count),
        [1, 2],
      );
    }
    // And the late round 1 check-in was recognised as stale
    assert.ok(
      events.some(
        (e) => e.kind === "stale" && e.participant === "p1" && e.why === "round 1 is over",
      ),
    );
  });
});
