import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { ReceiveMessageCommandInput } from "@aws-sdk/client-sqs";
import type { Timer } from "../../../src/broker/engine/clock.ts";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import { expectSqsError } from "../../support/sqs-errors.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

// Expected values follow docs/reference/aws-sqs-behaviour.md (§4, §5, §6).

/** A ManualClock that tells when a timer is set: a parked long poll sets its wait timer. */
class WatchedClock extends ManualClock {
  private waiters: (() => void)[] = [];

  override setTimer(delayMs: number, callback: () => void): Timer {
    const timer = super.setTimer(delayMs, callback);
    for (const wake of this.waiters.splice(0)) wake();
    return timer;
  }

  /** Resolves when the next timer is set, or after `ms` of real time at most. */
  nextTimer(ms = 1_000): Promise<void> {
    return new Promise((resolve) => {
      const fallback = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(fallback);
        resolve();
      });
    });
  }
}

describe("visibility, delays and long polling over the wire", () => {
  let broker: TestBroker;
  const clock = new WatchedClock();
  before(async () => (broker = await startTestBroker({ clock })));
  after(() => broker.close());

  const send = (QueueUrl: string, MessageBody: string, extra: object = {}) =>
    broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, ...extra }));
  const receive = (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}) =>
    broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        ...extra,
      }),
    );
  const bodies = async (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}) =>
    ((await receive(QueueUrl, { MaxNumberOfMessages: 10, ...extra })).Messages ?? []).map(
      (m) => m.Body,
    );
  const changeVisibility = (QueueUrl: string, ReceiptHandle: string, VisibilityTimeout: number) =>
    broker.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }),
    );
  const receiveOne = async (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}) => {
    const { Messages } = await receive(QueueUrl, extra);
    assert.equal(Messages?.length, 1, "expected one message");
    return Messages![0]!;
  };
  const counts = (QueueUrl: string) => broker.messageCounts(QueueUrl);
  const setDelay = (QueueUrl: string, DelaySeconds: number) =>
    broker.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { DelaySeconds: String(DelaySeconds) },
      }),
    );
  /** Sends to a FIFO queue created with ContentBasedDeduplication. */
  const sendToGroup = (QueueUrl: string, MessageBody: string, MessageGroupId: string) =>
    send(QueueUrl, MessageBody, { MessageGroupId });

  describe("visibility timeout", () => {
    it("hides a received message until the queue's timeout passes", async () => {
      // Given a message received from a queue with the default 30 s timeout
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "hidden");
      await receiveOne(QueueUrl);

      // Then it stays hidden for 30 s
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(29_999);
      assert.deepEqual(await bodies(QueueUrl), []);

      // And comes back when they are up, with a grown receive count
      broker.clock.advance(1);
      const again = await receiveOne(QueueUrl);
      assert.equal(again.Body, "hidden");
      assert.equal(again.Attributes?.ApproximateReceiveCount, "2");
    });

    it("uses the queue's VisibilityTimeout attribute", async () => {
      const QueueUrl = await broker.createQueue({ VisibilityTimeout: "5" });
      await send(QueueUrl, "five");
      await receiveOne(QueueUrl);
      broker.clock.advance(4_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["five"]);
    });

    it("takes the VisibilityTimeout of a ReceiveMessage over the queue's", async () => {
      const QueueUrl = await broker.createQueue({ VisibilityTimeout: "60" });
      await send(QueueUrl, "short");
      await receiveOne(QueueUrl, { VisibilityTimeout: 5 });
      broker.clock.advance(4_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["short"]);
    });

    it("leaves a message visible when received with VisibilityTimeout 0", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "stays");
      await receiveOne(QueueUrl, { VisibilityTimeout: 0 });
      assert.deepEqual(await bodies(QueueUrl, { VisibilityTimeout: 0 }), ["stays"]);
    });

    it("counts every receive in ApproximateReceiveCount", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "counted");
      const seen: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) {
        seen.push((await receiveOne(QueueUrl)).Attributes?.ApproximateReceiveCount);
        broker.clock.advance(30_000);
      }
      assert.deepEqual(seen, ["1", "2", "3", "4"]);
    });

    it("refuses a VisibilityTimeout above 12 hours on ReceiveMessage", async () => {
      const QueueUrl = await broker.createQueue();
      // Text not established: code and status only.
      await expectSqsError(receive(QueueUrl, { VisibilityTimeout: 43_201 }), {
        code: "InvalidParameterValue",
      });
    });
  });

  describe("ChangeMessageVisibility", () => {
    it("extends the timeout of an in-flight message, repeatedly", async () => {
      // Given a message in flight for 30 s
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "extended");
      const { ReceiptHandle } = await receiveOne(QueueUrl);

      // When its timeout is set to 60 s after 20 s, and again to 60 s after 50 s
      broker.clock.advance(20_000);
      await changeVisibility(QueueUrl, ReceiptHandle!, 60);
      broker.clock.advance(30_000);
      await changeVisibility(QueueUrl, ReceiptHandle!, 60);

      // Then it stays hidden until 60 s after the last change
      broker.clock.advance(59_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["extended"]);
    });

    it("makes a message visible at once with 0", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "released");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      await changeVisibility(QueueUrl, ReceiptHandle!, 0);
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
      const again = await receiveOne(QueueUrl);
      assert.equal(again.Body, "released");
      assert.equal(again.Attributes?.ApproximateReceiveCount, "2");
    });

    it("caps the total timeout at 12 hours from the receive, with AWS's text", async () => {
      // Given a message received 10 s ago
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "capped");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      broker.clock.advance(10_000);

      // Then 43199 s more would end past 12 hours and is refused
      await expectSqsError(changeVisibility(QueueUrl, ReceiptHandle!, 43_199), {
        code: "InvalidParameterValue",
        message:
          "Value 43199 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].",
      });

      // But ending exactly at 12 hours is accepted
      await changeVisibility(QueueUrl, ReceiptHandle!, 43_190);
      broker.clock.advance(43_189_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["capped"]);
    });

    it("refuses a change on a deleted message with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "gone");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      await broker.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
      await expectSqsError(changeVisibility(QueueUrl, ReceiptHandle!, 10), {
        code: "InvalidParameterValue",
        message: `Value ${ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      });
    });

    it("succeeds on a standard message whose visibility already expired", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "expired");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      broker.clock.advance(30_000);
      await changeVisibility(QueueUrl, ReceiptHandle!, 10);
    });

    it("refuses a garbage handle with ReceiptHandleIsInvalid", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(changeVisibility(QueueUrl, "garbage", 10), {
        code: "ReceiptHandleIsInvalid",
        status: 400,
      });
    });
  });

  describe("DeleteMessage handles", () => {
    it("deletes with an older receipt handle of a standard message", async () => {
      // Given a message received twice, so it has two receipt handles
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "twice");
      const first = await receiveOne(QueueUrl);
      broker.clock.advance(30_000);
      const second = await receiveOne(QueueUrl);
      assert.notEqual(first.ReceiptHandle, second.ReceiptHandle);

      // When the first handle is used to delete it
      await broker.sqs.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }),
      );

      // Then it is gone, and deleting again still succeeds
      broker.clock.advance(30_000);
      assert.deepEqual(await bodies(QueueUrl), []);
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
      await broker.sqs.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }),
      );
      await broker.sqs.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle }),
      );
    });

    it("deletes with a handle whose visibility expired", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "late");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      broker.clock.advance(31_000);
      await broker.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
      assert.deepEqual(await bodies(QueueUrl), []);
    });

    it("refuses a garbage handle with ReceiptHandleIsInvalid and AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        broker.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })),
        {
          code: "ReceiptHandleIsInvalid",
          status: 400,
          message: 'The input receipt handle "garbage" is not a valid receipt handle.',
        },
      );
    });
  });

  describe("delays", () => {
    it("holds every message of a queue with DelaySeconds", async () => {
      // Given a queue delaying messages by 10 s
      const QueueUrl = await broker.createQueue({ DelaySeconds: "10" });
      await send(QueueUrl, "later");

      // Then the message is delayed, not visible, until 10 s have passed
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(9_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
      assert.deepEqual(await bodies(QueueUrl), ["later"]);
    });

    it("lets a message's DelaySeconds override the queue's, including 0", async () => {
      const QueueUrl = await broker.createQueue({ DelaySeconds: "10" });
      await send(QueueUrl, "now", { DelaySeconds: 0 });
      await send(QueueUrl, "soon", { DelaySeconds: 3 });
      await send(QueueUrl, "queue default");
      assert.deepEqual(await bodies(QueueUrl), ["now"]);
      broker.clock.advance(3_000);
      assert.deepEqual(await bodies(QueueUrl), ["soon"]);
      broker.clock.advance(7_000);
      assert.deepEqual(await bodies(QueueUrl), ["queue default"]);
    });

    it("delays a message on a queue without a delay", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "max", { DelaySeconds: 900 });
      broker.clock.advance(899_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["max"]);
    });

    it("applies a FIFO queue's lowered DelaySeconds to the messages already in it", async () => {
      // Given a FIFO queue delaying by 600 s, with a message sent 300 s ago and one just sent
      const QueueUrl = await broker.createFifoQueue({
        DelaySeconds: "600",
        ContentBasedDeduplication: "true",
        VisibilityTimeout: "900",
      });
      await sendToGroup(QueueUrl, "sent under 600 s", "a");
      broker.clock.advance(300_000);
      await sendToGroup(QueueUrl, "sent later", "b");

      // When the delay is lowered to 200 s (retroactive on FIFO queues, as SQS documents)
      await setDelay(QueueUrl, 200);

      // Then each message is delayed 200 s from its send
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      assert.deepEqual(await bodies(QueueUrl), ["sent under 600 s"]);
      broker.clock.advance(199_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["sent later"]);
    });

    it("delays again a FIFO queue's messages not yet received when its DelaySeconds is raised", async () => {
      // Given a FIFO queue without delay, one message received (in flight for 30 s), one not
      const QueueUrl = await broker.createFifoQueue({ ContentBasedDeduplication: "true" });
      await sendToGroup(QueueUrl, "received", "a");
      assert.deepEqual(await bodies(QueueUrl), ["received"]);
      await sendToGroup(QueueUrl, "waiting", "b");
      broker.clock.advance(10_000);

      // When the queue's delay is raised to 60 s
      await setDelay(QueueUrl, 60);

      // Then the message not yet received is delayed until 60 s after its send
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      // And the one in flight keeps its visibility timeout
      broker.clock.advance(20_000);
      assert.deepEqual(await bodies(QueueUrl, { VisibilityTimeout: 900 }), ["received"]);
      broker.clock.advance(29_999);
      assert.deepEqual(await bodies(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(await bodies(QueueUrl), ["waiting"]);
    });

    it("keeps the delay of the messages already in a standard queue when its DelaySeconds changes", async () => {
      const QueueUrl = await broker.createQueue({ DelaySeconds: "600" });
      await send(QueueUrl, "sent under 600 s");
      await setDelay(QueueUrl, 0);
      assert.deepEqual(await bodies(QueueUrl), []);
      assert.equal((await counts(QueueUrl))?.ApproximateNumberOfMessagesDelayed, "1");
      broker.clock.advance(600_000);
      assert.deepEqual(await bodies(QueueUrl), ["sent under 600 s"]);
    });

    for (const delay of [901, -1]) {
      it(`refuses DelaySeconds ${delay} with AWS's text`, async () => {
        const QueueUrl = await broker.createQueue();
        await expectSqsError(send(QueueUrl, "never", { DelaySeconds: delay }), {
          code: "InvalidParameterValue",
          message: `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
        });
      });
    }
  });

  describe("long polling", () => {
    /** Starts a receive and resolves once the broker has armed its wait timer, i.e. the poll is parked. */
    const longPoll = async <T>(start: () => Promise<T>): Promise<{ polling: Promise<T> }> => {
      const armed = clock.nextTimer();
      const polling = start();
      polling.catch(() => {}); // awaited later; a failure surfaces there
      await armed;
      return { polling };
    };

    it("answers a pending long poll as soon as a message is sent, without the clock moving", async () => {
      // Given a receive waiting up to 20 s on an empty queue
      const QueueUrl = await broker.createQueue();
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));
      assert.equal(await isPending(polling), true);

      // When a message is sent
      await send(QueueUrl, "wake up");

      // Then the poll answers with it
      const { Messages } = await within(polling);
      assert.deepEqual(
        Messages?.map((m) => m.Body),
        ["wake up"],
      );
    });

    it("answers a pending long poll when a FIFO queue's lowered DelaySeconds makes a message visible", async () => {
      // Given a receive waiting on a FIFO queue whose one message is delayed 600 s
      const QueueUrl = await broker.createFifoQueue({
        DelaySeconds: "600",
        ContentBasedDeduplication: "true",
      });
      await sendToGroup(QueueUrl, "delayed", "a");
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));
      assert.equal(await isPending(polling), true);

      // When the queue's delay is set to 0
      await setDelay(QueueUrl, 0);

      // Then the poll answers with the message, without the clock moving
      const { Messages } = await within(polling);
      assert.deepEqual(
        Messages?.map((m) => m.Body),
        ["delayed"],
      );
    });

    it("lets go of a long poll whose client hung up, so it takes no message", async () => {
      // Given a long poll whose client gives up while it waits
      const QueueUrl = await broker.createQueue();
      const hangUp = new AbortController();
      const { polling } = await longPoll(() =>
        broker.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), {
          abortSignal: hangUp.signal,
        }),
      );
      hangUp.abort();
      await assert.rejects(polling);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the broker sees the socket close

      // When a message is sent
      await send(QueueUrl, "for a live receiver");

      // Then it stays visible instead of going in flight to nobody
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
    });

    it("answers a long poll kept waiting by the in-flight limit as soon as a delete makes room", async () => {
      // Given a broker whose queues may hold 3 messages in flight, 2 of them taken
      const limitedClock = new WatchedClock();
      const limited = await startTestBroker({ clock: limitedClock, maxInFlight: 3 });
      try {
        const { QueueUrl } = await limited.sqs.send(
          new CreateQueueCommand({ QueueName: limited.uniqueName() }),
        );
        const sendTwo = (prefix: string) =>
          limited.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl,
              Entries: [0, 1].map((i) => ({ Id: `m${i}`, MessageBody: `${prefix} ${i}` })),
            }),
          );
        const take = (extra: Partial<ReceiveMessageCommandInput> = {}) =>
          limited.sqs.send(
            new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }),
          );
        await sendTwo("early");
        const { Messages: taken = [] } = await take();
        assert.equal(taken.length, 2);

        // And two long polls parked when two more messages arrive: the first
        // takes one and fills the limit, the second is left beside a visible message
        const park = async () => {
          const armed = limitedClock.nextTimer();
          const polling = take({ MaxNumberOfMessages: 1, WaitTimeSeconds: 20 });
          polling.catch(() => {}); // awaited later; a failure surfaces there
          await armed;
          return { polling };
        };
        const { polling: first } = await park();
        const { polling: second } = await park();
        await sendTwo("late");
        assert.equal((await within(first)).Messages?.length, 1);
        assert.equal(await isPending(second), true);

        // When one message in flight is deleted
        await limited.sqs.send(
          new DeleteMessageCommand({ QueueUrl, ReceiptHandle: taken[0]!.ReceiptHandle }),
        );

        // Then the parked poll gets the visible one, without the clock moving
        const { Messages = [] } = await within(second);
        assert.deepEqual(
          Messages.map((m) => m.Body?.split(" ")[0]),
          ["late"],
        );
      } finally {
        await limited.close();
      }
    });

    it("answers with nothing once the clock passes WaitTimeSeconds", async () => {
      const QueueUrl = await broker.createQueue();
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));
      broker.clock.advance(19_999);
      assert.equal(await isPending(polling), true, "still waiting just before 20 s");
      broker.clock.advance(1);
      const output = await within(polling);
      assert.equal(output.Messages, undefined);
    });

    it("uses the queue's ReceiveMessageWaitTimeSeconds when the request gives none", async () => {
      const QueueUrl = await broker.createQueue({ ReceiveMessageWaitTimeSeconds: "5" });
      const { polling } = await longPoll(() => receive(QueueUrl));
      assert.equal(await isPending(polling), true);
      broker.clock.advance(5_000);
      assert.equal((await within(polling)).Messages, undefined);
    });

    it("answers at once with WaitTimeSeconds 0 even on a long-polling queue", async () => {
      const QueueUrl = await broker.createQueue({ ReceiveMessageWaitTimeSeconds: "20" });
      const output = await within(receive(QueueUrl, { WaitTimeSeconds: 0 }));
      assert.equal(output.Messages, undefined);
    });

    it("wakes when a delayed message becomes visible", async () => {
      // Given a message delayed by 5 s and a receive waiting 20 s
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "delayed", { DelaySeconds: 5 });
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));

      // When the delay passes
      broker.clock.advance(4_999);
      assert.equal(await isPending(polling), true);
      broker.clock.advance(1);

      // Then the poll answers with the message
      const { Messages } = await within(polling);
      assert.deepEqual(
        Messages?.map((m) => m.Body),
        ["delayed"],
      );
    });

    it("wakes when an in-flight message's visibility expires", async () => {
      // Given a message in flight for 10 s and a receive waiting 20 s
      const QueueUrl = await broker.createQueue({ VisibilityTimeout: "10" });
      await send(QueueUrl, "returning");
      await receiveOne(QueueUrl);
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));

      // When the visibility timeout runs out
      broker.clock.advance(9_999);
      assert.equal(await isPending(polling), true);
      broker.clock.advance(1);

      // Then the poll answers with the message, received for the second time
      const { Messages } = await within(polling);
      assert.equal(Messages?.[0]?.Body, "returning");
      assert.equal(Messages?.[0]?.Attributes?.ApproximateReceiveCount, "2");
    });

    it("wakes when a message is released with ChangeMessageVisibility 0", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "released");
      const { ReceiptHandle } = await receiveOne(QueueUrl);
      const { polling } = await longPoll(() => receive(QueueUrl, { WaitTimeSeconds: 20 }));
      await changeVisibility(QueueUrl, ReceiptHandle!, 0);
      const { Messages } = await within(polling);
      assert.equal(Messages?.[0]?.Body, "released");
    });
  });

  describe("ReceiveMessage bounds", () => {
    it("returns at most MaxNumberOfMessages, 1 by default", async () => {
      const QueueUrl = await broker.createQueue();
      for (let i = 0; i < 15; i++) await send(QueueUrl, `m${i}`);
      assert.equal((await receive(QueueUrl)).Messages?.length, 1);
      const ten = (await receive(QueueUrl, { MaxNumberOfMessages: 10 })).Messages ?? [];
      assert.ok(ten.length >= 1 && ten.length <= 10, `got ${ten.length}`);
      const three = (await receive(QueueUrl, { MaxNumberOfMessages: 3 })).Messages ?? [];
      assert.ok(three.length >= 1 && three.length <= 3, `got ${three.length}`);
    });

    for (const max of [11, 0]) {
      it(`refuses MaxNumberOfMessages ${max} with AWS's text`, async () => {
        const QueueUrl = await broker.createQueue();
        await expectSqsError(receive(QueueUrl, { MaxNumberOfMessages: max }), {
          code: "InvalidParameterValue",
          message: `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        });
      });
    }

    for (const wait of [21, -1]) {
      it(`refuses WaitTimeSeconds ${wait} with AWS's text`, async () => {
        const QueueUrl = await broker.createQueue();
        await expectSqsError(receive(QueueUrl, { WaitTimeSeconds: wait }), {
          code: "InvalidParameterValue",
          message: `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        });
      });
    }
  });
});

// --- helpers ---

async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol("pending");
  const winner = await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise((resolve) => setTimeout(() => resolve(pending), 20)),
  ]);
  return winner === pending;
}

/** Fails instead of hanging when a long poll is never answered. */
async function within<T>(promise: Promise<T>, ms = 2_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
