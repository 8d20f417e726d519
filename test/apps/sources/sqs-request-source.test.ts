import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { pino } from "pino";
import {
  SET_ASIDE_REASON_ATTRIBUTE,
  SqsRequestSource,
} from "../../../src/apps/sources/sqs-request-source.ts";
import type { ReceivedRequest } from "../../../src/apps/sources/request-source.ts";
import type { SqsSourceOptions } from "../../../src/apps/sources/sqs-request-source.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});
after(async () => {
  await broker.close();
});

async function queueWith(count: number): Promise<string> {
  const queueUrl = await broker.createQueue();
  for (let start = 0; start < count; start += 10) {
    await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: Math.min(10, count - start) }, (_, i) => ({
          Id: String(i),
          MessageBody: `request ${start + i}`,
        })),
      }),
    );
  }
  return queueUrl;
}

function sourceOptions(queueUrl: string, visibilitySeconds: number): SqsSourceOptions {
  return {
    sqs: broker.sqs,
    queueUrl,
    queueName: queueUrl.split("/").pop()!,
    deadLetterQueue: undefined,
    waitSeconds: 1,
    visibilitySeconds,
    logger: pino({ level: "silent" }),
  };
}

function sourceFor(queueUrl: string, visibilitySeconds = 30): SqsRequestSource {
  return new SqsRequestSource(sourceOptions(queueUrl, visibilitySeconds));
}

/** Visible and in-flight counts, once the in-flight count is `inFlight` (or after 5 s). */
async function countsOnceInFlight(queueUrl: string, inFlight: number): Promise<[number, number]> {
  let counts: [number, number] = [-1, -1];
  for (let attempt = 0; attempt < 100; attempt++) {
    const reported = await broker.messageCounts(queueUrl);
    counts = [
      Number(reported?.ApproximateNumberOfMessages),
      Number(reported?.ApproximateNumberOfMessagesNotVisible),
    ];
    if (counts[1] === inFlight) break;
    await sleep(50);
  }
  return counts;
}

describe("the queue source (CS5260 HW3)", () => {
  it("asks for the next batch once the last request of one is handed out, and gives back what it never handed out", async () => {
    // Given 25 requests on a queue
    const queueUrl = await queueWith(25);
    const source = sourceFor(queueUrl);
    const stop = new AbortController();

    // When a worker takes the first batch's ten, and completes none of them
    const taken: ReceivedRequest[] = [];
    for (let i = 0; i < 10; i++) {
      const request = await source.receive(stop.signal);
      assert.ok(request, `request ${i} was handed out`);
      taken.push(request);
    }

    // Then the next ten are already received: 20 in flight, 5 left visible
    assert.deepEqual(await countsOnceInFlight(queueUrl, 20), [5, 20]);
    assert.equal(new Set(taken.map((request) => request.body)).size, 10);

    // And when it stops, the ten it holds but never handed out are visible again,
    // while the ten handed out stay in flight until they are completed
    stop.abort();
    await source.close();
    assert.deepEqual(await countsOnceInFlight(queueUrl, 10), [15, 10]);
  });

  it("keeps a request a worker holds hidden past the visibility timeout, until it is settled", async () => {
    // Given a request taken by a worker of a source that asks for 1 s of visibility
    const queueUrl = await queueWith(1);
    const source = sourceFor(queueUrl, 1);
    const stop = new AbortController();
    const request = await source.receive(stop.signal);
    assert.ok(request);

    // When the worker holds it for three timeouts
    await sleep(3_000);

    // Then nobody else could receive it meanwhile, and completing it deletes it
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.deepEqual(Messages, []);
    await request.complete();
    stop.abort();
    await source.close();
    assert.deepEqual(await countsOnceInFlight(queueUrl, 0), [0, 0]);
  });

  it("delays a retry by what it asks even when a renewal of its visibility is still on the wire", async () => {
    // Given a source renewing every 0.5 s, whose renewals take 0.4 s to reach the broker
    const queueUrl = await queueWith(1);
    const sqs = sqsClient(broker.endpoint);
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { VisibilityTimeout?: number };
        if (
          context.commandName === "ChangeMessageVisibilityCommand" &&
          input.VisibilityTimeout === 1
        )
          await sleep(400);
        return next(args);
      },
      { step: "initialize" },
    );
    const source = new SqsRequestSource({ ...sourceOptions(queueUrl, 1), sqs });
    const stop = new AbortController();
    const request = await source.receive(stop.signal);
    assert.ok(request);

    // When the worker asks for a retry in 5 s while the first renewal is on its way
    await sleep(700);
    await request.retryLater(5);

    // Then the request is still hidden 2.5 s later: the renewal did not land after the delay
    await sleep(1_800);
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.deepEqual(Messages, []);
    stop.abort();
    await source.close();
    sqs.destroy();
  });

  it("sets aside requests at SQS's limits: 10 attributes, a body of 1 MiB less the reason's room or less", async () => {
    // Given two requests a consumer will set aside: one with 10 attributes, one of the largest body
    const queueUrl = await broker.createQueue();
    const deadLetterUrl = await broker.createQueue();
    const attributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
    );
    await broker.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: "many",
        MessageAttributes: attributes,
      }),
    );
    // (room left for a reason but not for the source queue's name; none at all)
    for (const room of [40, 10]) {
      await broker.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x".repeat(1_048_576 - room) }),
      );
    }
    const source = new SqsRequestSource({
      sqs: broker.sqs,
      queueUrl,
      queueName: queueUrl.split("/").pop()!,
      deadLetterQueue: {
        queueUrl: deadLetterUrl,
        queueName: deadLetterUrl.split("/").pop()!,
        maxReceiveCount: 5,
      },
      waitSeconds: 1,
      visibilitySeconds: 30,
      logger: pino({ level: "silent" }),
    });
    const stop = new AbortController();

    // When both are set aside
    for (let i = 0; i < 3; i++) {
      const request = await source.receive(stop.signal);
      assert.ok(request);
      await request.setAside(`reason ${request.body.length > 100 ? "large" : "many"}`);
    }
    stop.abort();
    await source.close();

    // Then all are in the dead-letter queue, with their reason where it fits, and gone from the queue
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        WaitTimeSeconds: 1,
      }),
    );
    const reasons = Messages.map(
      (message) => message.MessageAttributes?.[SET_ASIDE_REASON_ATTRIBUTE]?.StringValue,
    ).sort();
    assert.deepEqual(reasons, ["reason large", "reason many", undefined]);
    const many = Messages.find((message) => message.Body === "many")!;
    assert.equal(Object.keys(many.MessageAttributes!).length, 10);
    assert.deepEqual(await countsOnceInFlight(queueUrl, 0), [0, 0]);
  });
});
