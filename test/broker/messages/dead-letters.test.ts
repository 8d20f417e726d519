import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import type { Message, ReceiveMessageCommandInput } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import { expectSqsError } from "../../support/sqs-errors.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

// Expected values follow docs/reference/aws-sqs-behaviour.md (§5, §8, §9 and "Delivery semantics").

describe("dead letters, retention and move tasks over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const arnOf = async (QueueUrl: string) =>
    (
      await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes!.QueueArn!;
  const counts = (QueueUrl: string) => broker.messageCounts(QueueUrl);
  const receive = async (
    QueueUrl: string,
    extra: Partial<ReceiveMessageCommandInput> = {},
  ): Promise<Message[]> =>
    (
      await broker.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
          ...extra,
        }),
      )
    ).Messages ?? [];
  const release = (QueueUrl: string, message: Message) =>
    broker.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  const sendMany = async (QueueUrl: string, n: number, group?: string) => {
    for (let start = 0; start < n; start += 10) {
      const Entries = Array.from({ length: Math.min(10, n - start) }, (_, i) => ({
        Id: `m${start + i}`,
        MessageBody: `message ${start + i}`,
        ...(group ? { MessageGroupId: group, MessageDeduplicationId: `d${start + i}` } : {}),
      }));
      await broker.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
  };

  /** A dead-letter queue and a source queue redriving into it. */
  const createPair = async (maxReceiveCount: number, fifo = false, dlqAttributes = {}) => {
    const create = fifo ? broker.createFifoQueue : broker.createQueue;
    const dlqUrl = await create(dlqAttributes, "dlq");
    const dlqArn = await arnOf(dlqUrl);
    const sourceUrl = await create(
      {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
        VisibilityTimeout: "30",
      },
      "source",
    );
    return { dlqUrl, dlqArn, sourceUrl, sourceArn: await arnOf(sourceUrl) };
  };

  /** Sends n messages to the source and receives each twice, so maxReceiveCount 1 moves them all. */
  const deadLetter = async (n: number) => {
    const pair = await createPair(1);
    await sendMany(pair.sourceUrl, n);
    while ((await receive(pair.sourceUrl, { VisibilityTimeout: 0 })).length > 0) {
      // each receive counts once; the next receive of a counted message moves it
    }
    assert.equal((await counts(pair.dlqUrl))?.ApproximateNumberOfMessages, String(n));
    return pair;
  };

  const listTasks = async (SourceArn: string, MaxResults?: number) =>
    (await broker.sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ??
    [];

  describe("redrive", () => {
    it("moves a message on the receive after maxReceiveCount, keeping id, body and attributes", async () => {
      // Given a source queue with maxReceiveCount 1 and one message with an attribute
      const { sourceUrl, sourceArn, dlqUrl } = await createPair(1);
      const attributes = { colour: { DataType: "String", StringValue: "blue" } };
      const sent = await broker.sqs.send(
        new SendMessageCommand({
          QueueUrl: sourceUrl,
          MessageBody: "poison",
          MessageAttributes: attributes,
        }),
      );

      // When it is received once and its visibility runs out
      const [first] = await receive(sourceUrl);
      assert.equal(first?.Body, "poison");
      assert.equal(first?.Attributes?.ApproximateReceiveCount, "1");
      broker.clock.advance(30_000);

      // Then the next receive does not return it: it has moved to the DLQ
      assert.deepEqual(await receive(sourceUrl), []);
      assert.deepEqual(await counts(sourceUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });

      // And in the DLQ it keeps its id, body and attributes, and its receive count goes on
      const [moved] = await receive(dlqUrl);
      assert.equal(moved?.MessageId, sent.MessageId);
      assert.equal(moved?.Body, "poison");
      assert.equal(moved?.MD5OfBody, sent.MD5OfMessageBody);
      assert.equal(moved?.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
      assert.deepEqual(moved?.MessageAttributes, attributes);
      assert.equal(moved?.Attributes?.ApproximateReceiveCount, "2");
      assert.equal(moved?.Attributes?.DeadLetterQueueSourceArn, sourceArn);
      assert.equal(moved?.Attributes?.SentTimestamp, first?.Attributes?.SentTimestamp);
    });

    it("lets messages below maxReceiveCount be received again", async () => {
      const { sourceUrl, dlqUrl } = await createPair(3);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "retry" }));
      for (const expected of ["1", "2", "3"]) {
        const [message] = await receive(sourceUrl);
        assert.equal(message?.Attributes?.ApproximateReceiveCount, expected);
        await release(sourceUrl, message!);
      }
      assert.deepEqual(await receive(sourceUrl), []);
      const [moved] = await receive(dlqUrl);
      assert.equal(moved?.Attributes?.ApproximateReceiveCount, "4");
    });

    it("moves a FIFO message to a FIFO DLQ and unblocks its group", async () => {
      // Given a FIFO source with maxReceiveCount 2 and two messages in one group
      const { sourceUrl, sourceArn, dlqUrl } = await createPair(2, true);
      const first = await broker.sqs.send(
        new SendMessageCommand({
          QueueUrl: sourceUrl,
          MessageBody: "fifo poison",
          MessageGroupId: "G",
          MessageDeduplicationId: "p",
        }),
      );
      await broker.sqs.send(
        new SendMessageCommand({
          QueueUrl: sourceUrl,
          MessageBody: "next in group",
          MessageGroupId: "G",
          MessageDeduplicationId: "n",
        }),
      );

      // When the first is received twice
      for (let i = 0; i < 2; i++) {
        const [message] = await receive(sourceUrl, { MaxNumberOfMessages: 1 });
        assert.equal(message?.Body, "fifo poison");
        await release(sourceUrl, message!);
      }

      // Then the third receive moves it, and the rest of the group flows
      let flowed = await receive(sourceUrl);
      assert.ok(!flowed.some((m) => m.Body === "fifo poison"), "the poison is not delivered");
      if (flowed.length === 0) flowed = await receive(sourceUrl);
      assert.deepEqual(
        flowed.map((m) => m.Body),
        ["next in group"],
      );

      // And the DLQ holds it with its id, group and source ARN, its
      // deduplication id replaced by its message id, as SQS documents
      // ("so that the DLQ deduplication will not prevent storing of two
      // independent messages that happen to share a deduplication ID")
      const [moved] = await receive(dlqUrl);
      assert.equal(moved?.MessageId, first.MessageId);
      assert.equal(moved?.Body, "fifo poison");
      assert.equal(moved?.Attributes?.MessageGroupId, "G");
      assert.equal(moved?.Attributes?.DeadLetterQueueSourceArn, sourceArn);
      assert.equal(moved?.Attributes?.MessageDeduplicationId, first.MessageId);
    });

    it("redrives a FIFO message as a new message: new id and sequence number, same group", async () => {
      // Given a FIFO message dead-lettered, then a later message in the source
      const { sourceUrl, dlqUrl, dlqArn } = await createPair(1, true);
      const send = (MessageBody: string, MessageDeduplicationId: string) =>
        broker.sqs.send(
          new SendMessageCommand({
            QueueUrl: sourceUrl,
            MessageBody,
            MessageGroupId: "G",
            MessageDeduplicationId,
          }),
        );
      const poison = await send("poison", "p");
      const [once] = await receive(sourceUrl);
      await release(sourceUrl, once!);
      assert.deepEqual(await receive(sourceUrl), []); // this receive dead-letters it
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "1");
      const later = await send("later", "l");

      // When it is redriven to its source
      await broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
      broker.clock.advance(1_000);

      // Then it comes after the later message, as a new message of the same group
      const delivered = await receive(sourceUrl);
      assert.deepEqual(
        delivered.map((m) => m.Body),
        ["later", "poison"],
      );
      const redriven = delivered[1];
      assert.equal(redriven?.Body, "poison");
      assert.notEqual(redriven?.MessageId, poison.MessageId);
      assert.equal(redriven?.Attributes?.MessageGroupId, "G");
      assert.ok(
        BigInt(redriven!.Attributes!.SequenceNumber!) > BigInt(later.SequenceNumber!),
        "a new sequence number, after the later message's",
      );
      assert.equal(redriven?.Attributes?.ApproximateReceiveCount, "1");
    });
  });

  describe("retention", () => {
    it("deletes messages older than MessageRetentionPeriod and drops the counts", async () => {
      // Given a 60 s retention queue with an in-flight, a visible and a later message
      const QueueUrl = await broker.createQueue({ MessageRetentionPeriod: "60" });
      await sendMany(QueueUrl, 2);
      await receive(QueueUrl, { MaxNumberOfMessages: 1, VisibilityTimeout: 120 });
      broker.clock.advance(30_000);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "younger" }));
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "2",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "0",
      });

      // When 61 s have passed since the first two were sent
      broker.clock.advance(31_000);

      // Then only the younger message is left
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
      assert.deepEqual(
        (await receive(QueueUrl)).map((m) => m.Body),
        ["younger"],
      );
    });

    it("keeps counting retention from the original send after a standard message moves to a DLQ", async () => {
      // Given a DLQ keeping messages 60 s, and a message sent to its source at t0
      const { sourceUrl, dlqUrl } = await createPair(1, false, { MessageRetentionPeriod: "60" });
      await broker.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "old" }));

      // When it is moved to the DLQ at t0 + 40 s
      broker.clock.advance(40_000);
      await receive(sourceUrl, { VisibilityTimeout: 0 });
      await receive(sourceUrl);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "1");

      // Then it expires at t0 + 60 s, not 60 s after the move
      broker.clock.advance(21_000);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "0");
      assert.deepEqual(await receive(dlqUrl), []);
    });
    it("expires a message moved into a standard DLQ at its own time, behind younger messages", async () => {
      // Given a DLQ keeping messages 60 s, and a message sent to its source at t0
      const { sourceUrl, dlqUrl } = await createPair(1, false, { MessageRetentionPeriod: "60" });
      await broker.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "old" }));
      // And a younger message sent to the DLQ itself at t0 + 30 s, a hundred
      // sends later (the broker keeps messages in chunks of 64 sends)
      await sendMany(await broker.createQueue(), 100);
      broker.clock.advance(30_000);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: "young" }));

      // When the old one moves in behind it, at t0 + 40 s
      broker.clock.advance(10_000);
      await receive(sourceUrl, { VisibilityTimeout: 0 });
      await receive(sourceUrl);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "2");

      // Then the old one still expires at t0 + 60 s, and the young one stays
      broker.clock.advance(21_000);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "1");
      assert.deepEqual(
        (await receive(dlqUrl)).map((m) => m.Body),
        ["young"],
      );
    });

    it("expires messages moved into a FIFO DLQ 60 s after each move, whatever order they were sent in", async () => {
      // Given a FIFO DLQ keeping messages 60 s, and two messages of two groups
      // sent to its source, the first to be hidden 30 s and the second 10 s
      const { sourceUrl, dlqUrl } = await createPair(1, true, { MessageRetentionPeriod: "60" });
      for (const body of ["first", "second"]) {
        await broker.sqs.send(
          new SendMessageCommand({
            QueueUrl: sourceUrl,
            MessageBody: body,
            MessageGroupId: body,
            MessageDeduplicationId: body,
          }),
        );
      }
      await receive(sourceUrl, { MaxNumberOfMessages: 1, VisibilityTimeout: 30 });
      await receive(sourceUrl, { MaxNumberOfMessages: 1, VisibilityTimeout: 10 });

      // When the second moves to the DLQ at t10 and the first at t30
      broker.clock.advance(10_000);
      await receive(sourceUrl);
      broker.clock.advance(20_000);
      await receive(sourceUrl);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "2");

      // Then at t75 the second has expired and the first has not
      broker.clock.advance(45_000);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "1");
      assert.deepEqual(
        (await receive(dlqUrl)).map((m) => m.Body),
        ["first"],
      );
    });
  });

  describe("message move tasks", () => {
    it("moves messages back to their source when no destination is given, as new messages", async () => {
      // Given three messages dead-lettered from one source
      const { sourceUrl, dlqUrl, dlqArn } = await deadLetter(3);
      const dead = await receive(dlqUrl, { VisibilityTimeout: 0 });
      broker.clock.advance(5_000);
      const redriveStart = broker.clock.now();

      // When a move task starts without a destination
      const { TaskHandle } = await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn }),
      );
      assert.ok(TaskHandle);
      const decoded = JSON.parse(Buffer.from(TaskHandle, "base64").toString("utf8"));
      assert.equal(decoded.sourceArn, dlqArn);
      assert.match(
        decoded.taskId,
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        "taskId is a UUID",
      );
      const [running] = await listTasks(dlqArn);
      assert.equal(running?.Status, "RUNNING");
      assert.equal(running?.TaskHandle, TaskHandle);
      assert.equal(running?.SourceArn, dlqArn);
      assert.equal(running?.ApproximateNumberOfMessagesToMove, 3);
      assert.equal(typeof running?.StartedTimestamp, "number");
      broker.clock.advance(1_000);

      // Then the task completes and the messages are back in the source
      const [done] = await listTasks(dlqArn);
      assert.equal(done?.Status, "COMPLETED");
      assert.equal(done?.ApproximateNumberOfMessagesMoved, 3);
      assert.equal(done?.ApproximateNumberOfMessagesToMove, 3);
      assert.equal("TaskHandle" in done!, false, "TaskHandle only while RUNNING");
      assert.equal("DestinationArn" in done!, false);
      assert.equal("MaxNumberOfMessagesPerSecond" in done!, false);
      assert.equal("FailureReason" in done!, false);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "0");
      // ...as new messages ("assigned a new messageID and enqueueTime"): the
      // same bodies and attributes, new ids, sent at the redrive, never received.
      const back = await receive(sourceUrl);
      assert.deepEqual(back.map((m) => m.Body).sort(), dead.map((m) => m.Body).sort());
      const deadIds = new Set(dead.map((m) => m.MessageId));
      for (const message of back) {
        assert.equal(deadIds.has(message.MessageId), false, `${message.MessageId} is new`);
        assert.ok(Number(message.Attributes?.SentTimestamp) >= redriveStart, "sent at the redrive");
        assert.equal(message.Attributes?.ApproximateReceiveCount, "1");
        assert.equal(message.Attributes?.DeadLetterQueueSourceArn, undefined);
      }
    });

    it("restarts a redriven message's retention, since it is a new message", async () => {
      // Given a message dead-lettered from a queue that keeps messages 60 s,
      // 50 s after it was sent
      const { sourceUrl, dlqUrl, dlqArn } = await deadLetter(1);
      await broker.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: sourceUrl,
          Attributes: { MessageRetentionPeriod: "60" },
        }),
      );
      broker.clock.advance(50_000);

      // When it is redriven, and 30 s pass (80 s after the first send)
      await broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
      broker.clock.advance(30_000);

      // Then it is still there: its 60 s count from the redrive
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "0");
      assert.equal((await receive(sourceUrl)).length, 1);
    });

    it("refuses a destination of the other type (FIFO and standard), moving nothing", async () => {
      const { dlqUrl, dlqArn } = await deadLetter(1);
      const fifoArn = await arnOf(await broker.createFifoQueue({}, "fifo-destination"));
      await expectSqsError(
        broker.sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: fifoArn }),
        ),
        {
          code: "InvalidParameterValue",
          message:
            `Value ${fifoArn} for parameter DestinationArn is invalid. Reason: ` +
            "The destination queue must be of the same type as the source queue (standard).",
        },
      );
      assert.deepEqual(await listTasks(dlqArn), []);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "1");
    });

    it("moves messages to an explicit destination", async () => {
      const { dlqUrl, dlqArn, sourceUrl } = await deadLetter(2);
      const destinationUrl = await broker.createQueue({}, "destination");
      const destinationArn = await arnOf(destinationUrl);
      await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: destinationArn }),
      );
      broker.clock.advance(1_000);

      const [done] = await listTasks(dlqArn);
      assert.equal(done?.Status, "COMPLETED");
      assert.equal(done?.DestinationArn, destinationArn);
      assert.equal(done?.ApproximateNumberOfMessagesMoved, 2);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "0");
      assert.equal((await receive(destinationUrl)).length, 2);
      assert.deepEqual(await receive(sourceUrl), []);
    });

    it("lists tasks newest first, one by default and up to MaxResults", async () => {
      const { dlqArn } = await deadLetter(1);
      await broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
      broker.clock.advance(1_000);
      const destinationArn = await arnOf(await broker.createQueue());
      await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: destinationArn }),
      );
      broker.clock.advance(1_000);

      const one = await listTasks(dlqArn);
      assert.equal(one.length, 1);
      assert.equal(one[0]?.DestinationArn, destinationArn, "newest first");
      const both = await listTasks(dlqArn, 10);
      assert.equal(both.length, 2);
      assert.equal(both[1]?.DestinationArn, undefined);
      assert.ok(both.every((t) => t.Status === "COMPLETED"));
    });

    it("allows one running task per source", async () => {
      // Given a slow task still running
      const { dlqArn } = await deadLetter(10);
      await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
      );

      // Then a second task for the same source is refused
      await expectSqsError(
        broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })),
        {
          code: "InvalidParameterValue",
          message:
            "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
        },
      );
    });

    it("moves at most MaxNumberOfMessagesPerSecond as the clock advances", async () => {
      // Given ten dead letters and a task limited to 2 messages a second
      const { dlqArn, dlqUrl } = await deadLetter(10);
      await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 2 }),
      );

      // When one second passes, about two have moved
      broker.clock.advance(1_000);
      const [afterOne] = await listTasks(dlqArn);
      assert.equal(afterOne?.Status, "RUNNING");
      assert.equal(afterOne?.MaxNumberOfMessagesPerSecond, 2);
      const moved = afterOne!.ApproximateNumberOfMessagesMoved!;
      assert.ok(moved >= 1 && moved <= 3, `moved ${moved} in one second at 2/s`);

      // And after five seconds in all, every message has moved
      broker.clock.advance(4_000);
      const [done] = await listTasks(dlqArn);
      assert.equal(done?.Status, "COMPLETED");
      assert.equal(done?.ApproximateNumberOfMessagesMoved, 10);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "0");
    });

    it("cancels a running task and keeps what it moved", async () => {
      // Given a slow task that has moved some messages
      const { dlqArn, dlqUrl, sourceUrl } = await deadLetter(10);
      const { TaskHandle } = await broker.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
      );
      broker.clock.advance(200);
      const [running] = await listTasks(dlqArn);
      assert.equal(running?.Status, "RUNNING");

      // When it is cancelled
      const cancelled = await broker.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
      const moved = cancelled.ApproximateNumberOfMessagesMoved!;
      assert.ok(moved < 10, `moved ${moved} before the cancel`);

      // Then nothing more moves, and the moved messages stay moved
      broker.clock.advance(20_000);
      const [after] = await listTasks(dlqArn);
      assert.ok(["CANCELLING", "CANCELLED"].includes(after!.Status!), after!.Status);
      assert.equal(after?.ApproximateNumberOfMessagesMoved, moved);
      assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, String(10 - moved));
      assert.equal((await counts(sourceUrl))?.ApproximateNumberOfMessages, String(moved));
    });

    it("refuses a source that is not a dead-letter queue", async () => {
      const plainArn = await arnOf(await broker.createQueue());
      await expectSqsError(
        broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })),
        {
          code: "InvalidParameterValue",
          message: "Source queue must be configured as a Dead Letter Queue.",
        },
      );
    });

    for (const fifo of [false, true]) {
      it(`fails when a message's source queue is gone, leaving every message receivable (${fifo ? "FIFO" : "standard"})`, async () => {
        // Given two messages dead-lettered from a source that was then
        // deleted, and another source, so the queue is still a dead-letter queue
        const { sourceUrl, dlqUrl, dlqArn } = await createPair(1, fifo);
        const create = fifo ? broker.createFifoQueue : broker.createQueue;
        const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 });
        await create({ RedrivePolicy }, "other-source");
        await sendMany(sourceUrl, 2, fifo ? "g" : undefined);
        while ((await receive(sourceUrl, { VisibilityTimeout: 0 })).length > 0) {
          // the second receive of each message moves it
        }
        await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: sourceUrl }));

        // When a move task starts without a destination
        await broker.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
        broker.clock.advance(1_000);

        // Then it fails, and both messages can still be received from the dead-letter queue
        const [failed] = await listTasks(dlqArn);
        assert.equal(failed?.Status, "FAILED");
        assert.equal(failed?.FailureReason, "AWS.SimpleQueueService.NonExistentQueue");
        assert.equal(failed?.ApproximateNumberOfMessagesMoved, 0);
        assert.equal((await counts(dlqUrl))?.ApproximateNumberOfMessages, "2");
        const bodies = (await receive(dlqUrl)).map((m) => m.Body);
        assert.deepEqual(bodies.sort(), ["message 0", "message 1"]);
      });
    }

    it("refuses a destination that does not exist", async () => {
      const { dlqArn } = await deadLetter(1);
      await expectSqsError(
        broker.sqs.send(
          new StartMessageMoveTaskCommand({
            SourceArn: dlqArn,
            DestinationArn: `${dlqArn}-missing`,
          }),
        ),
        {
          code: "ResourceNotFoundException",
          status: 404,
          message:
            "The resource that you specified for the DestinationArn parameter doesn't exist.",
        },
      );
    });

    it("refuses to cancel a non-handle or an unknown task", async () => {
      const { dlqArn } = await deadLetter(1);
      await expectSqsError(
        broker.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: "foobared" })),
        { code: "InvalidParameterValue", message: "Value for parameter TaskHandle is invalid." },
      );
      const unknown = Buffer.from(
        JSON.stringify({ taskId: "4ba0e0cb-5d3b-4c36-9b5a-7e2b5d1f6c11", sourceArn: dlqArn }),
      ).toString("base64");
      await expectSqsError(
        broker.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknown })),
        { code: "ResourceNotFoundException", status: 404, message: "Task does not exist." },
      );
    });
  });

  describe("in-flight limit", () => {
    it("refuses a receive beyond the in-flight limit with OverLimit (403) on a standard queue", async () => {
      // Given a broker whose queues may hold 3 messages in flight
      const limited = await startTestBroker({ maxInFlight: 3 });
      try {
        const { CreateQueueCommand, SendMessageBatchCommand, ReceiveMessageCommand } =
          await import("@aws-sdk/client-sqs");
        const { QueueUrl } = await limited.sqs.send(
          new CreateQueueCommand({ QueueName: limited.uniqueName() }),
        );
        await limited.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [0, 1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `m${i}` })),
          }),
        );
        // When 3 are received, the queue is at its limit
        const first = await limited.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
        );
        assert.equal(first.Messages?.length, 3);
        // Then the next receive is refused until one of them times out
        await expectSqsError(limited.sqs.send(new ReceiveMessageCommand({ QueueUrl })), {
          code: "OverLimit",
          status: 403,
        });
        limited.clock.advance(30_000);
        const again = await limited.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
        );
        assert.equal(again.Messages?.length, 3);
      } finally {
        await limited.close();
      }
    });
  });
});

// --- helpers ---
