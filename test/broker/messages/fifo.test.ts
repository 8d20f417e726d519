import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type {
  Message,
  ReceiveMessageCommandInput,
  SendMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import { expectSqsError } from "../../support/sqs-errors.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

// Expected values follow docs/reference/aws-sqs-behaviour.md (§4, §5, §6 and "Delivery semantics").

const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const NO_DEDUP_TEXT =
  "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly";

describe("FIFO queues over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  let dedupCounter = 0;
  /** Sends to a FIFO queue; a fresh explicit dedup id unless one is given. */
  const send = (
    QueueUrl: string,
    MessageBody: string,
    MessageGroupId: string | undefined,
    extra: Partial<SendMessageCommandInput> = {},
  ) =>
    broker.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody,
        MessageGroupId,
        MessageDeduplicationId: `dedup-${++dedupCounter}`,
        ...extra,
      }),
    );
  const receive = async (
    QueueUrl: string,
    extra: Partial<ReceiveMessageCommandInput> = {},
  ): Promise<Message[]> =>
    (
      await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }),
      )
    ).Messages ?? [];
  const bodiesOf = (messages: Message[]) => messages.map((m) => m.Body);
  const remove = (QueueUrl: string, message: Message) =>
    broker.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  const visibleCount = async (QueueUrl: string) =>
    (
      await broker.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      )
    ).Attributes?.ApproximateNumberOfMessages;

  describe("ordering and group locking", () => {
    it("delivers the messages of a group in the order they were sent", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const sent = ["a1", "a2", "a3", "a4", "a5"];
      for (const body of sent) await send(QueueUrl, body, "A");
      const seen: (string | undefined)[] = [];
      for (let i = 0; i < sent.length; i++) {
        const [message] = await receive(QueueUrl, { MaxNumberOfMessages: 1 });
        assert.ok(message, `message ${i} arrives`);
        seen.push(message.Body);
        await remove(QueueUrl, message);
      }
      assert.deepEqual(seen, sent);
    });

    it("returns several messages of one group in one receive, in order", async () => {
      const QueueUrl = await broker.createFifoQueue();
      for (const body of ["a1", "a2", "a3"]) await send(QueueUrl, body, "A");
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["a1", "a2", "a3"]);
    });

    it("holds back a group while one of its messages is in flight, and serves other groups", async () => {
      // Given two messages in group A and one in group B
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "a1", "A");
      await send(QueueUrl, "a2", "A");
      await send(QueueUrl, "b1", "B");

      // When a1 is received
      const [a1] = await receive(QueueUrl, { MaxNumberOfMessages: 1 });
      assert.equal(a1?.Body, "a1");

      // Then a2 is not delivered while a1 is in flight, but B's message is
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["b1"]);
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), []);

      // And once a1 is deleted, a2 flows
      await remove(QueueUrl, a1!);
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["a2"]);
    });

    it("delivers a returned message again before later ones still in flight (AWS-recorded)", async () => {
      // LocalStack's AWS-validated test_fifo_message_group_visibility_after_terminate_visibility_timeout:
      // g1-m1 and g1-m2 received, g1-m1's visibility ended; g1-m2 still in flight
      const QueueUrl = await broker.createFifoQueue({ VisibilityTimeout: "30" });
      await send(QueueUrl, "g1-m1", "group-1");
      await send(QueueUrl, "g1-m2", "group-1");
      await send(QueueUrl, "g2-m1", "group-2");
      const [m1, m2] = await receive(QueueUrl, { MaxNumberOfMessages: 2 });
      assert.deepEqual(bodiesOf([m1!, m2!]), ["g1-m1", "g1-m2"]);
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: m1!.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      assert.deepEqual(bodiesOf(await receive(QueueUrl, { MaxNumberOfMessages: 3 })), [
        "g2-m1",
        "g1-m1",
      ]);
    });

    for (const [extended, expected] of [
      [0, []],
      [1, ["foo"]],
      [2, ["foo", "bar"]],
    ] as const) {
      it(`delivers returned messages up to the first still in flight: message ${extended} extended (AWS-recorded)`, async () => {
        // LocalStack's AWS-validated test_fifo_group_visibility_extends_with_change_message_visibility
        const QueueUrl = await broker.createFifoQueue({ VisibilityTimeout: "1" });
        for (const body of ["foo", "bar", "baz"]) await send(QueueUrl, body, "1");
        const all = await receive(QueueUrl, { MaxNumberOfMessages: 5 });
        assert.deepEqual(bodiesOf(all), ["foo", "bar", "baz"]);
        await broker.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl,
            ReceiptHandle: all[extended]!.ReceiptHandle,
            VisibilityTimeout: 4,
          }),
        );
        broker.clock.advance(2_500);
        assert.deepEqual(bodiesOf(await receive(QueueUrl, { MaxNumberOfMessages: 5 })), expected);
      });
    }

    it("keeps the group locked until the in-flight message's visibility expires", async () => {
      const QueueUrl = await broker.createFifoQueue({ VisibilityTimeout: "10" });
      await send(QueueUrl, "a1", "A");
      await send(QueueUrl, "a2", "A");
      await receive(QueueUrl, { MaxNumberOfMessages: 1 });
      broker.clock.advance(9_999);
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), []);
      broker.clock.advance(1);
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["a1", "a2"]);
    });

    it("puts a message released with visibility 0 back at the head of its group", async () => {
      // Given a1 in flight and a2 waiting behind it
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "a1", "A");
      await send(QueueUrl, "a2", "A");
      const [a1] = await receive(QueueUrl, { MaxNumberOfMessages: 1 });

      // When a1's visibility is set to 0
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: a1!.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );

      // Then the next receive starts with a1 again
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["a1", "a2"]);
    });
  });

  describe("deduplication", () => {
    it("accepts but does not enqueue a repeated MessageDeduplicationId within 5 minutes", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const first = await send(QueueUrl, "one", "A", { MessageDeduplicationId: "same" });
      const second = await send(QueueUrl, "two", "A", { MessageDeduplicationId: "same" });
      assert.ok(first.MessageId);
      assert.ok(second.MessageId);
      assert.equal(await visibleCount(QueueUrl), "1");
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["one"]);
    });

    it("deduplicates by the body with ContentBasedDeduplication", async () => {
      const QueueUrl = await broker.createFifoQueue({ ContentBasedDeduplication: "true" });
      await send(QueueUrl, "same body", "A", { MessageDeduplicationId: undefined });
      await send(QueueUrl, "same body", "A", { MessageDeduplicationId: undefined });
      await send(QueueUrl, "other body", "A", { MessageDeduplicationId: undefined });
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["same body", "other body"]);
    });

    it("lets an explicit id win over the content on a content-based queue", async () => {
      const QueueUrl = await broker.createFifoQueue({ ContentBasedDeduplication: "true" });
      await send(QueueUrl, "same body", "A", { MessageDeduplicationId: "x1" });
      await send(QueueUrl, "same body", "A", { MessageDeduplicationId: "x2" });
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["same body", "same body"]);
    });

    it("still deduplicates after the first copy was deleted", async () => {
      // Given a message received and deleted
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "once", "A", { MessageDeduplicationId: "d" });
      const [message] = await receive(QueueUrl);
      await remove(QueueUrl, message!);

      // When the same dedup id is sent again within the window
      broker.clock.advance(60_000);
      await send(QueueUrl, "once again", "A", { MessageDeduplicationId: "d" });

      // Then nothing new is enqueued
      assert.equal(await visibleCount(QueueUrl), "0");
      assert.deepEqual(await receive(QueueUrl), []);
    });

    it("forgets a dedup id after 5 minutes", async () => {
      // Given a message sent at t0
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "first", "A", { MessageDeduplicationId: "d" });

      // Then a repeat just inside the window is dropped
      broker.clock.advance(DEDUP_WINDOW_MS - 1_000);
      await send(QueueUrl, "inside", "A", { MessageDeduplicationId: "d" });
      assert.equal(await visibleCount(QueueUrl), "1");

      // And a repeat after the window (counted from the first send) is enqueued
      broker.clock.advance(1_001);
      await send(QueueUrl, "after", "A", { MessageDeduplicationId: "d" });
      assert.equal(await visibleCount(QueueUrl), "2");
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["first", "after"]);
    });

    it("deduplicates across groups by default and within a group with DeduplicationScope messageGroup", async () => {
      // Given one queue with the default scope and one scoped per message group
      const perQueue = await broker.createFifoQueue();
      const perGroup = await broker.createFifoQueue({
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });

      // When the same dedup id is used in two groups, and twice in one group
      for (const QueueUrl of [perQueue, perGroup]) {
        await send(QueueUrl, "a", "A", { MessageDeduplicationId: "d" });
        await send(QueueUrl, "b", "B", { MessageDeduplicationId: "d" });
        await send(QueueUrl, "a again", "A", { MessageDeduplicationId: "d" });
      }

      // Then the default scope keeps one message, the group scope one per group
      assert.equal(await visibleCount(perQueue), "1");
      assert.equal(await visibleCount(perGroup), "2");
      assert.deepEqual(bodiesOf(await receive(perGroup)).sort(), ["a", "b"]);
    });
  });

  describe("sequence numbers and system attributes", () => {
    it("gives growing SequenceNumbers and returns FIFO system attributes", async () => {
      // Given three messages sent in one group
      const QueueUrl = await broker.createFifoQueue();
      const sent = [];
      for (const body of ["s1", "s2", "s3"]) {
        sent.push(await send(QueueUrl, body, "G", { MessageDeduplicationId: `id-${body}` }));
      }

      // Then each send answers a larger SequenceNumber (a numeric string)
      const numbers = sent.map((s) => s.SequenceNumber ?? "");
      for (const n of numbers) assert.match(n, /^\d+$/);
      assert.ok(BigInt(numbers[0]!) < BigInt(numbers[1]!));
      assert.ok(BigInt(numbers[1]!) < BigInt(numbers[2]!));

      // And a receive returns the group, dedup id and sequence number of each
      const messages = await receive(QueueUrl, { MessageSystemAttributeNames: ["All"] });
      assert.deepEqual(
        messages.map((m) => ({
          group: m.Attributes?.MessageGroupId,
          dedup: m.Attributes?.MessageDeduplicationId,
          sequence: m.Attributes?.SequenceNumber,
        })),
        [
          { group: "G", dedup: "id-s1", sequence: numbers[0] },
          { group: "G", dedup: "id-s2", sequence: numbers[1] },
          { group: "G", dedup: "id-s3", sequence: numbers[2] },
        ],
      );
    });

    it("grows SequenceNumbers across groups too", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const a = await send(QueueUrl, "a", "A");
      const b = await send(QueueUrl, "b", "B");
      assert.ok(BigInt(a.SequenceNumber!) < BigInt(b.SequenceNumber!));
    });

    it("answers SequenceNumber in SendMessageBatch entries", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const output = await broker.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "one", MessageBody: "1", MessageGroupId: "A", MessageDeduplicationId: "1" },
            { Id: "two", MessageBody: "2", MessageGroupId: "A", MessageDeduplicationId: "2" },
          ],
        }),
      );
      const [one, two] = output.Successful ?? [];
      assert.match(one?.SequenceNumber ?? "", /^\d+$/);
      assert.ok(BigInt(one!.SequenceNumber!) < BigInt(two!.SequenceNumber!));
    });
  });

  describe("required parameters", () => {
    it("refuses SendMessage without MessageGroupId with MissingParameter", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(send(QueueUrl, "no group", undefined), {
        code: "MissingParameter",
        message: "The request must contain the parameter MessageGroupId.",
      });
    });

    it("refuses a batch entry without MessageGroupId as a whole-request InvalidParameterValue", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(
        broker.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [
              { Id: "ok", MessageBody: "x", MessageGroupId: "A", MessageDeduplicationId: "1" },
              { Id: "bad", MessageBody: "y", MessageDeduplicationId: "2" },
            ],
          }),
        ),
        {
          code: "InvalidParameterValue",
          message: "The request must contain the parameter MessageGroupId.",
        },
      );
      assert.equal(await visibleCount(QueueUrl), "0");
    });

    it("refuses a message without a dedup id when content-based dedup is off", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(send(QueueUrl, "no dedup", "A", { MessageDeduplicationId: undefined }), {
        code: "InvalidParameterValue",
        message: NO_DEDUP_TEXT,
      });
    });

    it("refuses a batch entry without a dedup id as a whole request", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(
        broker.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [{ Id: "bad", MessageBody: "y", MessageGroupId: "A" }],
          }),
        ),
        { code: "InvalidParameterValue", message: NO_DEDUP_TEXT },
      );
    });

    it("refuses a per-message DelaySeconds with AWS's text", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(send(QueueUrl, "delayed", "A", { DelaySeconds: 2 }), {
        code: "InvalidParameterValue",
        message:
          "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
      });
    });

    it("accepts DelaySeconds 0 and still applies the queue's delay", async () => {
      const QueueUrl = await broker.createFifoQueue({ DelaySeconds: "5" });
      await send(QueueUrl, "queue delay", "A", { DelaySeconds: 0 });
      assert.deepEqual(await receive(QueueUrl), []);
      broker.clock.advance(5_000);
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["queue delay"]);
    });

    it("refuses a MessageDeduplicationId with a space, with AWS's text", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectSqsError(send(QueueUrl, "x", "A", { MessageDeduplicationId: "dedup 1" }), {
        code: "InvalidParameterValue",
        message:
          "Value dedup 1 for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
      });
    });
  });

  describe("receipt handles and retries", () => {
    it("returns the same messages and handles for a retried ReceiveRequestAttemptId", async () => {
      // Given a receive made with an attempt id
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "a1", "A");
      await send(QueueUrl, "a2", "A");
      const first = await receive(QueueUrl, { ReceiveRequestAttemptId: "attempt-1" });
      assert.deepEqual(bodiesOf(first), ["a1", "a2"]);

      // When it is retried with the same id (as after a lost response)
      const retry = await receive(QueueUrl, { ReceiveRequestAttemptId: "attempt-1" });

      // Then it gets the very same messages and receipt handles
      assert.deepEqual(
        retry.map((m) => [m.MessageId, m.ReceiptHandle]),
        first.map((m) => [m.MessageId, m.ReceiptHandle]),
      );

      // And a receive with another attempt id gets nothing (the group is locked)
      assert.deepEqual(await receive(QueueUrl, { ReceiveRequestAttemptId: "attempt-2" }), []);
    });

    it("refuses a retried ReceiveRequestAttemptId once one of its messages was deleted or made visible", async () => {
      const staleAttempt = (id: string) => ({
        code: "InvalidParameterValue",
        message: `Value ${id} for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.`,
      });
      for (const change of ["delete", "visibility 0", "visibility 60"]) {
        // Given a1, a2 (group a) and b1 (group b), and a receive of a1 with an attempt id
        const QueueUrl = await broker.createFifoQueue();
        await send(QueueUrl, "a1", "a");
        await send(QueueUrl, "a2", "a");
        await send(QueueUrl, "b1", "b");
        const [a1] = await receive(QueueUrl, {
          MaxNumberOfMessages: 1,
          ReceiveRequestAttemptId: "att-1",
        });
        assert.equal(a1!.Body, "a1");

        // When a1 is deleted or its visibility changed
        if (change === "delete") await remove(QueueUrl, a1!);
        else {
          await broker.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl,
              ReceiptHandle: a1!.ReceiptHandle,
              VisibilityTimeout: change === "visibility 0" ? 0 : 60,
            }),
          );
        }

        // Then a retry with the same id is refused, again and again, and takes nothing
        for (let retry = 0; retry < 2; retry++) {
          await expectSqsError(
            receive(QueueUrl, { MaxNumberOfMessages: 1, ReceiveRequestAttemptId: "att-1" }),
            staleAttempt("att-1"),
          );
        }
        assert.deepEqual(
          bodiesOf(await receive(QueueUrl, { ReceiveRequestAttemptId: "att-2" })).sort(),
          change === "delete"
            ? ["a2", "b1"]
            : change === "visibility 0"
              ? ["a1", "a2", "b1"]
              : ["b1"],
          change,
        );
      }
    });

    it("receives anew with a ReceiveRequestAttemptId whose messages' visibility timeout ran out untouched", async () => {
      // Given a receive of a1 with an attempt id, whose 30 s visibility ran out
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "a1", "a");
      await send(QueueUrl, "b1", "b");
      const [first] = await receive(QueueUrl, {
        MaxNumberOfMessages: 1,
        ReceiveRequestAttemptId: "att-1",
      });
      broker.clock.advance(30_000);

      // When the receive is retried with the same id, it is a new receive
      const again = await receive(QueueUrl, { ReceiveRequestAttemptId: "att-1" });
      assert.deepEqual(bodiesOf(again).sort(), ["a1", "b1"]);
      assert.notEqual(again.find((m) => m.Body === "a1")!.ReceiptHandle, first!.ReceiptHandle);

      // And a retry of that one gets its messages and handles again
      const retry = await receive(QueueUrl, { ReceiveRequestAttemptId: "att-1" });
      assert.deepEqual(
        retry.map((m) => m.ReceiptHandle),
        again.map((m) => m.ReceiptHandle),
      );
    });

    it("refuses a ReceiveRequestAttemptId of more than 128 characters or with a space", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "kept", "A");
      for (const ReceiveRequestAttemptId of ["a".repeat(129), "attempt 1", ""]) {
        await expectSqsError(receive(QueueUrl, { ReceiveRequestAttemptId }), {
          code: "InvalidParameterValue",
          message: `Value ${ReceiveRequestAttemptId} for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
        });
      }
      const longest = "!~".repeat(64);
      assert.deepEqual(bodiesOf(await receive(QueueUrl, { ReceiveRequestAttemptId: longest })), [
        "kept",
      ]);
    });

    it("refuses to delete with an expired FIFO handle", async () => {
      // Given a handle whose 30 s visibility ran out
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "slow", "A");
      const [message] = await receive(QueueUrl);
      broker.clock.advance(30_001);

      // Then deleting with it fails, and the message stays
      await expectSqsError(remove(QueueUrl, message!), {
        code: "InvalidParameterValue",
        message: `Value ${message!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      });
      assert.deepEqual(bodiesOf(await receive(QueueUrl)), ["slow"]);
    });

    it("deletes with a handle whose visibility was extended", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await send(QueueUrl, "extended", "A");
      const [message] = await receive(QueueUrl);
      broker.clock.advance(20_000);
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: message!.ReceiptHandle,
          VisibilityTimeout: 60,
        }),
      );
      broker.clock.advance(20_000);
      await remove(QueueUrl, message!);
      broker.clock.advance(60_000);
      assert.deepEqual(await receive(QueueUrl), []);
    });
  });

  describe("fair queues (MessageGroupId on standard queues)", () => {
    it("accepts MessageGroupId on a standard queue and returns it", async () => {
      const QueueUrl = await broker.createQueue();
      const sent = await broker.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: "tenant", MessageGroupId: "tenant-1" }),
      );
      assert.equal(sent.SequenceNumber, undefined);
      const [message] = await receive(QueueUrl, { MessageSystemAttributeNames: ["All"] });
      assert.equal(message?.Attributes?.MessageGroupId, "tenant-1");
      assert.equal(message?.Attributes?.SequenceNumber, undefined);
    });

    it("does not lock groups on a standard queue", async () => {
      const QueueUrl = await broker.createQueue();
      for (const body of ["t1", "t2"]) {
        await broker.sqs.send(
          new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "tenant-1" }),
        );
      }
      const first = await receive(QueueUrl, { MaxNumberOfMessages: 1 });
      const second = await receive(QueueUrl, { MaxNumberOfMessages: 1 });
      assert.deepEqual([...bodiesOf(first), ...bodiesOf(second)].sort(), ["t1", "t2"]);
    });

    it("refuses an invalid MessageGroupId on a standard queue with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        broker.sqs.send(
          new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "group 123" }),
        ),
        {
          code: "InvalidParameterValue",
          message:
            "Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
        },
      );
    });
  });
});

// --- helpers ---
