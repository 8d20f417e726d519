import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../../../src/apps/app-error.ts";
import type { BarrierMessage } from "../../../src/apps/barrier/barrier-messages.ts";
import type { CoordinatorEvent } from "../../../src/apps/barrier/coordinator-events.ts";
import { runCoordinator } from "../../../src/apps/barrier/coordinator.ts";
import { runParticipant } from "../../../src/apps/barrier/participant.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { handParticipant } from "./hand-participant.ts";

/**
 * A process beyond the barrier's N whose check-in or join the coordinator has
 * not read when it releases the last round: it must still be told to abort,
 * not left to wait out its timeout as if the coordinator had died.
 */
let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
});

function realParticipant(barrier: string, id: string, sqs: SQSClient = broker.sqs) {
  return runParticipant({
    sqs,
    barrier,
    id,
    timeoutMs: 15_000,
    work: { minMs: 0, maxMs: 0 },
  });
}

/** A one-round coordinator for `participants`, its events pushed into `events`. */
function recordingCoordinator(
  barrier: string,
  participants: number,
  events: CoordinatorEvent[],
  sqs: SQSClient = broker.sqs,
) {
  return runCoordinator({
    sqs,
    barrier,
    participants,
    rounds: 1,
    timeoutMs: 15_000,
    onEvent: (event) => events.push(event),
  });
}

describe("barrier latecomers", { concurrency: true }, () => {
  it("a one-round barrier tells a participant too many to abort, though it checks in after the release", async () => {
    // Given a coordinator for 2 participants and 1 round
    const barrier = broker.uniqueName("late-1");
    const events: CoordinatorEvent[] = [];
    const coordinator = recordingCoordinator(barrier, 2, events);
    // And p3, played by hand, joined and welcomed but slow to check in
    const p3 = await handParticipant(broker.sqs, barrier, "p3");
    const { session, incarnation } = await p3.join();

    // When p1 and p2 fill the barrier and the round is released
    await Promise.all([realParticipant(barrier, "p1"), realParticipant(barrier, "p2")]);
    await coordinator;
    // And p3 checks in only then
    await p3.send({ kind: "check-in", session, participant: "p3", incarnation, round: 1 });

    // Then p3 finds an abort saying the barrier is full, not silence
    const abort = await p3.next();
    assert.equal(abort.kind, "abort", JSON.stringify(abort));
    const { reason } = abort as Extract<BarrierMessage, { kind: "abort" }>;
    assert.match(reason, /^the barrier already has its 2 participants \((p1, p2|p2, p1)\)$/);
    assert.deepEqual(
      events.filter((e) => e.kind === "rejected"),
      [{ kind: "rejected", round: 1, participant: "p3", reason }],
    );
    assert.deepEqual(await p3.rest(), []);
  });

  it("a coordinator stopped during its last read still tells the latecomers, then says it was stopped", async () => {
    // Given a one-round coordinator for 1 participant, with p2 joined too many
    const barrier = broker.uniqueName("late-stop");
    const stop = new AbortController();
    const coordinator = runCoordinator({
      sqs: broker.sqs,
      barrier,
      participants: 1,
      rounds: 1,
      timeoutMs: 15_000,
      stop: stop.signal,
      // When SIGINT comes as the round is released
      onEvent: (event) => {
        if (event.kind === "released") stop.abort("SIGINT");
      },
    });
    const failure = coordinator.then(
      () => undefined,
      (error: unknown) => error,
    );
    const p2 = await handParticipant(broker.sqs, barrier, "p2");
    await p2.join();
    await realParticipant(barrier, "p1");

    // Then the coordinator fails as stopped (exit 130), after telling p2 to abort
    const error = await failure;
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.message, "stopped by SIGINT");
    assert.equal(error.exitCode, 130);
    assert.equal((await p2.next()).kind, "abort");
  });

  it("a join that arrives as the last round is released gets an abort, not a welcome", async () => {
    // Given a coordinator for 2 participants and 2 rounds, and p3's queues
    const barrier = broker.uniqueName("late-2");
    const p3 = await handParticipant(broker.sqs, barrier, "p3");
    let joined: Promise<unknown> | undefined;
    const coordinator = runCoordinator({
      sqs: broker.sqs,
      barrier,
      participants: 2,
      rounds: 2,
      timeoutMs: 15_000,
      onEvent: (event) => {
        // When p3 joins just as the coordinator releases the last round
        if (event.kind === "released" && event.round === 2) {
          joined = p3.send({
            kind: "join",
            participant: "p3",
            incarnation: "hand-made",
            welcomeWaitMs: 60_000,
          });
        }
      },
    });
    await Promise.all([realParticipant(barrier, "p1"), realParticipant(barrier, "p2")]);
    await coordinator;
    await joined;

    // Then p3 is told at once that the barrier is full and over
    const abort = await p3.next();
    assert.equal(abort.kind, "abort", JSON.stringify(abort));
    assert.match(
      (abort as Extract<BarrierMessage, { kind: "abort" }>).reason,
      /^the barrier already has its 2 participants \((p1, p2|p2, p1)\) and is past round 1$/,
    );
  });

  it("a join left by an earlier process that gave up waiting is neither welcomed nor told to abort", async () => {
    // Given p1's join from an earlier attempt, whose process waited 1 ms for a welcome and left
    const barrier = broker.uniqueName("leftover");
    const earlier = await handParticipant(broker.sqs, barrier, "p1");
    await earlier.send({ kind: "join", participant: "p1", incarnation: "gone", welcomeWaitMs: 1 });
    await sleep(50);

    // When a coordinator for one participant runs, and p1 is started again
    const events: CoordinatorEvent[] = [];
    const coordinator = recordingCoordinator(barrier, 1, events);
    await realParticipant(barrier, "p1");
    await coordinator;

    // Then only the live p1 is part of the run: it joined once, and nobody
    // was told that its id is taken by another process
    assert.deepEqual(
      events.filter((e) => e.kind === "joined"),
      [{ kind: "joined", participant: "p1" }],
    );
    assert.deepEqual(
      events.filter((e) => e.kind === "rejected"),
      [],
    );
  });

  it("a live join is told from a leftover by SQS's clock alone, however far this host's is off", async () => {
    // Given an SQS whose clock is months behind this host's (the manual clock of a test broker)
    const skewed = await startTestBroker();
    try {
      assert.ok(Date.now() - skewed.clock.now() > 60_000, "the clocks differ by over a minute");
      // When a coordinator and a participant meet through it
      const barrier = skewed.uniqueName("skew");
      const events: CoordinatorEvent[] = [];
      const coordinator = recordingCoordinator(barrier, 1, events, skewed.sqs);
      await realParticipant(barrier, "p1", skewed.sqs);
      await coordinator;
      // Then the participant's join counted as live
      assert.deepEqual(
        events.filter((e) => e.kind === "joined"),
        [{ kind: "joined", participant: "p1" }],
      );
    } finally {
      await skewed.close();
    }
  });
});
