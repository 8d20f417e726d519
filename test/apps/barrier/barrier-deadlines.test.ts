import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import type { SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { runCoordinator } from "../../../src/apps/barrier/coordinator.ts";
import { runParticipant } from "../../../src/apps/barrier/participant.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { handParticipant } from "./hand-participant.ts";

/**
 * The coordinator's and the participants' deadlines for one round, which
 * start at different moments: whoever gives up must be the coordinator, whose
 * abort says who is missing.
 */
let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
});

describe("barrier deadlines", () => {
  it("a participant that checked in before the coordinator's round began hears its abort, not silence", async () => {
    // Given a coordinator of 2 participants whose release to p2 takes 1.5 s
    // to send, so its clock for round 2 starts 1.5 s after p1 got its release
    const barrier = broker.uniqueName("margin");
    const slowSqs = sqsClient(broker.endpoint);
    slowSqs.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as Partial<SendMessageCommandInput>;
        if (input.QueueUrl?.endsWith("-release-p2") && input.MessageBody?.includes('"release"')) {
          await sleep(1500);
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const coordinator = runCoordinator({
      sqs: slowSqs,
      barrier,
      participants: 2,
      rounds: 2,
      timeoutMs: 2000,
      startTimeoutMs: 30_000,
    }).catch((error: unknown) => error);
    // And p2, played by hand, who checks in to round 1 and then dies
    const p2 = await handParticipant(broker.sqs, barrier, "p2");
    const { session, incarnation } = await p2.join();
    await p2.send({ kind: "check-in", session, participant: "p2", incarnation, round: 1 });

    // When p1, with no work to do, checks in to round 2 as soon as it is released
    const p1 = await runParticipant({
      sqs: broker.sqs,
      barrier,
      id: "p1",
      timeoutMs: 2000,
      startTimeoutMs: 30_000,
      work: { minMs: 0, maxMs: 0 },
    }).catch((error: unknown) => error);

    // Then p1 fails with the coordinator's abort, which names p2, not with a missed release
    assert.equal(
      (p1 as Error).message,
      "barrier round 2: aborted by the coordinator: only 1 of 2 participants checked in within 2 s (missing: p2)",
    );
    assert.match(((await coordinator) as Error).message, /only 1 of 2 participants checked in/);
    slowSqs.destroy();
  });
});
