import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
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
/** A broker on the manual clock: visibility runs out only when a test moves its time. */
let timed: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
  timed = await startTestBroker();
});
after(async () => {
  await broker.close();
  await timed.close();
});

async function queueWith(count: number, on = broker): Promise<string> {
  const queueUrl = await on.createQueue();
  for (let start = 0; start < count; start += 10) {
    await on.sqs.send(
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

function sourceOptions(queueUrl: string, visibilitySeconds: number, on = broker): SqsSourceOptions {
  return {
    sqs: on.sqs,
    queueUrl,
    queueName: queueUrl.split("/").pop()!,
    deadLetterQueue: undefined,
    // A long poll on the manual clock would last until a test moves it, and could
    // take back a request the test expects nobody else to receive.
    waitSeconds: on === timed ? 0 : 1,
    visibilitySeconds,
    logger: pino({ level: "silent" }),
  };
}

function sourceFor(queueUrl: string, visibilitySeconds = 30): SqsRequestSource {
  return new SqsRequestSource(sourceOptions(queueUrl, visibilitySeconds));
}

/** Visible and in-flight counts, once the in-flight count is `inFlight` (or after 5 s). */
async function countsOnceInFlight(
  queueUrl: string,
  inFlight: number,
  on = broker,
): Promise<[number, number]> {
  let counts: [number, number] = [-1, -1];
  for (let attempt = 0; attempt < 100; attempt++) {
    const reported = await on.messageCounts(queueUrl);
    counts = [
      Number(reported?.ApproximateNumberOfMessages),
      Number(reported?.ApproximateNumberOfMessagesNotVisible),
    ];
    if (counts[1] === inFlight) break;
    await sleep(50);
  }
  return counts;
}

/** Whether a call through `sqs` is a renewal of `visibilitySeconds` (the source's heartbeat). */
function isRenewal(
  commandName: string | undefined,
  input: unknown,
  visibilitySeconds: number,
): boolean {
  return (
    commandName === "ChangeMessageVisibilityCommand" &&
    (input as { VisibilityTimeout?: number }).VisibilityTimeout === visibilitySeconds
  );
}

/** `promise`, or a failure naming `what` did not happen within 30 s. */
function within30s<T>(promise: Promise<T>, what: string): Promise<T> {
  let late: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    late = setTimeout(() => reject(new Error(`${what} within 30 s`)), 30_000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(late));
}

/** `next()` resolves once a renewal sent after the call has been answered. */
function watchRenewals(sqs: SQSClient, visibilitySeconds: number): { next(): Promise<void> } {
  const landed: (() => void)[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const answer = await next(args);
      if (isRenewal(context.commandName, args.input, visibilitySeconds))
        for (const wake of landed.splice(0)) wake();
      return answer;
    },
    { step: "initialize" },
  );
  return {
    next: () =>
      within30s(new Promise<void>((resolve) => landed.push(resolve)), "no renewal landed"),
  };
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * Holds the first renewal sent through `sqs` before it leaves the client, until `release()`.
 * `changeLanded(seconds)` resolves once a change of visibility to `seconds` has been answered.
 */
function holdFirstRenewal(sqs: SQSClient, visibilitySeconds: number) {
  const held = signal();
  const released = signal();
  const changes = new Map<number, ReturnType<typeof signal>>();
  const change = (seconds: number) =>
    changes.get(seconds) ?? changes.set(seconds, signal()).get(seconds)!;
  let first = true;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (isRenewal(context.commandName, args.input, visibilitySeconds) && first) {
        first = false;
        held.resolve();
        await released.promise;
      }
      const answer = await next(args);
      const asked = (args.input as { VisibilityTimeout?: number }).VisibilityTimeout;
      if (context.commandName === "ChangeMessageVisibilityCommand" && asked !== undefined)
        change(asked).resolve();
      return answer;
    },
    { step: "initialize" },
  );
  return {
    held: () => within30s(held.promise, "no renewal sent"),
    release: () => released.resolve(),
    changeLanded: (seconds: number) => change(seconds).promise,
  };
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
    // (on the broker with the manual clock: its time passes only once a renewal landed,
    // so a busy host stalling the source does not expire the request under it)
    const queueUrl = await queueWith(1, timed);
    const sqs = sqsClient(timed.endpoint);
    const renewals = watchRenewals(sqs, 1);
    const source = new SqsRequestSource({ ...sourceOptions(queueUrl, 1, timed), sqs });
    const stop = new AbortController();
    const request = await source.receive(stop.signal);
    assert.ok(request);

    // When the worker holds it for over three timeouts, 0.9 s passing after each renewal
    for (let i = 0; i < 4; i++) {
      await renewals.next();
      timed.clock.advance(900);
    }

    // Then nobody else could receive it meanwhile, and completing it deletes it
    const { Messages = [] } = await timed.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.deepEqual(Messages, []);
    await request.complete();
    stop.abort();
    await source.close();
    sqs.destroy();
    assert.deepEqual(await countsOnceInFlight(queueUrl, 0, timed), [0, 0]);
  });

  it("delays a retry by what it asks even when a renewal of its visibility is still on the wire", async () => {
    // Given a source renewing 1 s of visibility, whose first renewal is held on its way to the broker
    const queueUrl = await queueWith(1, timed);
    const sqs = sqsClient(timed.endpoint);
    const renewal = holdFirstRenewal(sqs, 1);
    const source = new SqsRequestSource({ ...sourceOptions(queueUrl, 1, timed), sqs });
    const stop = new AbortController();
    const request = await source.receive(stop.signal);
    assert.ok(request);

    // When the worker asks for a retry in 5 s while that renewal is on its way, and the
    // renewal goes on once the retry's own change landed (or the retry waited 200 ms without one)
    await renewal.held();
    const retrying = request.retryLater(5);
    await Promise.race([renewal.changeLanded(5), sleep(200)]);
    renewal.release();
    await retrying;
    await within30s(renewal.changeLanded(1), "the held renewal did not land");

    // Then the request is still hidden 2 s later: the renewal did not land after the delay
    timed.clock.advance(2_000);
    const hidden = await timed.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.deepEqual(hidden.Messages ?? [], []);
    // And it comes back once the 5 s passed
    timed.clock.advance(3_000);
    const back = await timed.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.equal(back.Messages?.length, 1);
    stop.abort();
    await source.close();
    sqs.destroy();
  });

  it("keeps a request hidden while its copy to the dead-letter queue is on its way", async () => {
    // Given a request taken by a worker of a source with a dead-letter queue, asking 1 s of
    // visibility, whose copies to the dead-letter queue are held before they leave
    const queueUrl = await queueWith(1, timed);
    const deadLetterUrl = await timed.createQueue();
    const sqs = sqsClient(timed.endpoint);
    const renewals = watchRenewals(sqs, 1);
    const copying = signal();
    const copied = signal();
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "SendMessageCommand") {
          copying.resolve();
          await copied.promise;
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const source = new SqsRequestSource({
      ...sourceOptions(queueUrl, 1, timed),
      sqs,
      deadLetterQueue: {
        queueUrl: deadLetterUrl,
        queueName: deadLetterUrl.split("/").pop()!,
        maxReceiveCount: 5,
      },
    });
    const stop = new AbortController();
    const request = await source.receive(stop.signal);
    assert.ok(request);

    // When it is set aside, and its copy takes over three timeouts (0.9 s passing after each renewal)
    const settingAside = request.setAside("reason");
    await copying.promise;
    for (let i = 0; i < 4; i++) {
      await renewals.next();
      timed.clock.advance(900);
    }

    // Then nobody else could receive it meanwhile (and copy it a second time)
    const { Messages = [] } = await timed.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    assert.deepEqual(Messages, []);
    // And once the copy lands, it is in the dead-letter queue only
    copied.resolve();
    await settingAside;
    stop.abort();
    await source.close();
    sqs.destroy();
    assert.deepEqual(await countsOnceInFlight(queueUrl, 0, timed), [0, 0]);
    assert.deepEqual(await countsOnceInFlight(deadLetterUrl, 0, timed), [1, 0]);
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
