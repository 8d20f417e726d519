import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { pino } from "pino";
import { keepHidden } from "../../../src/apps/aws/visibility-heartbeat.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});
after(() => broker.close());

it("stopping waits for every renewal still on the wire, also one older than the latest tick", async () => {
  // Given a message held with 1 s of visibility (a renewal every 0.5 s), whose first renewal
  // is held back by the network until the test lets it go
  const queueUrl = await broker.createQueue();
  await broker.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job" }));
  const { Messages = [] } = await broker.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1 }),
  );
  assert.equal(Messages.length, 1);
  const sqs = sqsClient(broker.endpoint);
  let renewalsSent = 0;
  let letFirstGo!: () => void;
  const firstHeld = new Promise<void>((resolve) => (letFirstGo = resolve));
  let firstLanded = false;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "ChangeMessageVisibilityCommand") return next(args);
      const first = ++renewalsSent === 1;
      if (first) await firstHeld;
      const output = await next(args);
      if (first) firstLanded = true;
      return output;
    },
    { step: "initialize" },
  );
  const stop = keepHidden(sqs, queueUrl, Messages[0]!.ReceiptHandle!, 1, pino({ level: "silent" }));
  try {
    // When it is stopped while that renewal is still held, past the next tick
    await sleep(1_200);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await sleep(300);

    // Then the stop has not settled: a retry's delay set now would be overwritten by it
    assert.equal(stopped, false, "stop settled with a renewal still on the wire");
    letFirstGo();
    await stopping;
    assert.ok(firstLanded, "stop settled before the held renewal landed");
  } finally {
    letFirstGo();
    sqs.destroy();
  }
});
