import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type {
  ChangeMessageVisibilityBatchRequestEntry,
  DeleteMessageBatchRequestEntry,
  Message,
  SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";
import { md5OfAttributes, md5OfBody } from "../../support/sqs-md5.ts";
import { startTestBroker, testProtocol } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

// Expected values follow docs/reference/aws-sqs-behaviour.md (§4 "SendMessageBatch: whole
// request vs entry", §6).

const BAD_ID_TEXT =
  "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.";

describe("batch actions over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const sendBatch = (QueueUrl: string, Entries: SendMessageBatchRequestEntry[]) =>
    broker.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
  const deleteBatch = (QueueUrl: string, Entries: DeleteMessageBatchRequestEntry[]) =>
    broker.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
  const changeBatch = (QueueUrl: string, Entries: ChangeMessageVisibilityBatchRequestEntry[]) =>
    broker.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries }));
  const receiveAll = async (QueueUrl: string): Promise<Message[]> => {
    const messages: Message[] = [];
    for (;;) {
      const { Messages } = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
      );
      if (!Messages) return messages;
      messages.push(...Messages);
    }
  };
  const entries = (n: number, prefix = "e") =>
    Array.from({ length: n }, (_, i) => ({ Id: `${prefix}${i}`, MessageBody: `body ${i}` }));
  const handles = (messages: Message[]) =>
    messages.map((m, i) => ({ Id: `h${i}`, ReceiptHandle: m.ReceiptHandle! }));
  const visibleCount = async (QueueUrl: string) =>
    (
      await broker.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      )
    ).Attributes;

  describe("SendMessageBatch", () => {
    it("answers every entry in Successful, with checksums, and leaves Failed out", async () => {
      // Given three entries, one with a message attribute
      const QueueUrl = await broker.createQueue();
      const attributes = { colour: { DataType: "String", StringValue: "blue" } };
      const output = await sendBatch(QueueUrl, [
        { Id: "plain", MessageBody: "one" },
        { Id: "with-attributes", MessageBody: "two", MessageAttributes: attributes },
        { Id: "delayed_3", MessageBody: "three", DelaySeconds: 5 },
      ]);

      // Then each entry succeeds with its id, message id and body MD5
      assert.equal("Failed" in output, false, "Failed is omitted when empty");
      const byId = new Map(output.Successful?.map((s) => [s.Id, s]));
      assert.deepEqual([...byId.keys()].sort(), ["delayed_3", "plain", "with-attributes"]);
      assert.equal(byId.get("plain")!.MD5OfMessageBody, md5OfBody("one"));
      assert.equal("MD5OfMessageAttributes" in byId.get("plain")!, false);
      assert.equal(
        byId.get("with-attributes")!.MD5OfMessageAttributes,
        md5OfAttributes(attributes),
      );
      for (const s of byId.values()) assert.match(s.MessageId ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(new Set([...byId.values()].map((s) => s.MessageId)).size, 3);

      // And the messages arrive (the delayed one after its delay)
      const received = await receiveAll(QueueUrl);
      assert.deepEqual(received.map((m) => m.Body).sort(), ["one", "two"]);
      assert.deepEqual(
        received.map((m) => m.MessageId).sort(),
        [byId.get("plain")!.MessageId, byId.get("with-attributes")!.MessageId].sort(),
      );
      broker.clock.advance(5_000);
      assert.deepEqual(
        (await receiveAll(QueueUrl)).map((m) => m.Body),
        ["three"],
      );
    });

    it("fails only an entry over the queue's MaximumMessageSize, with AWS's text", async () => {
      const QueueUrl = await broker.createQueue({ MaximumMessageSize: "1024" });
      const output = await sendBatch(QueueUrl, [
        { Id: "fits", MessageBody: "x".repeat(1024) },
        { Id: "too-big", MessageBody: "x".repeat(1025) },
      ]);
      assert.deepEqual(
        output.Successful?.map((s) => s.Id),
        ["fits"],
      );
      assert.deepEqual(output.Failed, [
        {
          Id: "too-big",
          Code: "InvalidParameterValue",
          SenderFault: true,
          Message:
            "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
        },
      ]);
      assert.deepEqual(await visibleCount(QueueUrl), {
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "0",
      });
    });

    it("fails only an entry with an invalid body character, as InvalidMessageContents", async () => {
      const QueueUrl = await broker.createQueue();
      const output = await sendBatch(QueueUrl, [
        { Id: "good", MessageBody: "fine" },
        { Id: "bad", MessageBody: "bell\u0007" },
      ]);
      assert.deepEqual(
        output.Successful?.map((s) => s.Id),
        ["good"],
      );
      assert.equal(output.Failed?.length, 1);
      assert.equal(output.Failed![0]!.Id, "bad");
      assert.equal(output.Failed![0]!.Code, "InvalidMessageContents");
      assert.equal(output.Failed![0]!.SenderFault, true);
    });

    it("fails only an entry with a bad message attribute", async () => {
      const QueueUrl = await broker.createQueue();
      const output = await sendBatch(QueueUrl, [
        { Id: "good", MessageBody: "fine" },
        {
          Id: "bad",
          MessageBody: "empty attribute",
          MessageAttributes: { ErrorDetails: { DataType: "String", StringValue: "" } },
        },
      ]);
      assert.deepEqual(
        output.Successful?.map((s) => s.Id),
        ["good"],
      );
      assert.equal(output.Failed?.[0]?.Id, "bad");
      assert.equal(output.Failed?.[0]?.Code, "InvalidParameterValue");
      assert.equal(output.Failed?.[0]?.SenderFault, true);
    });

    it("accepts a batch of exactly 1 MiB in total", async () => {
      const QueueUrl = await broker.createQueue();
      const half = 1_048_576 / 2;
      const output = await sendBatch(QueueUrl, [
        { Id: "a", MessageBody: "x".repeat(half) },
        { Id: "b", MessageBody: "y".repeat(half) },
      ]);
      assert.equal(output.Successful?.length, 2);
    });
  });

  describe("DeleteMessageBatch", () => {
    it("deletes every entry and leaves Failed out", async () => {
      const QueueUrl = await broker.createQueue();
      await sendBatch(QueueUrl, entries(3));
      const received = await receiveAll(QueueUrl);
      assert.equal(received.length, 3);

      const output = await deleteBatch(QueueUrl, handles(received));
      assert.equal("Failed" in output, false, "Failed is omitted when empty");
      assert.deepEqual(output.Successful?.map((s) => s.Id).sort(), ["h0", "h1", "h2"]);

      broker.clock.advance(30_000);
      assert.deepEqual(await receiveAll(QueueUrl), []);
    });

    it("reports an invalid receipt handle as a failed entry, not a failed request", async () => {
      // Given one real handle and one made-up handle
      const QueueUrl = await broker.createQueue();
      await sendBatch(QueueUrl, entries(1));
      const [message] = await receiveAll(QueueUrl);

      // When both are deleted in one batch
      const output = await deleteBatch(QueueUrl, [
        { Id: "real", ReceiptHandle: message!.ReceiptHandle! },
        { Id: "fake", ReceiptHandle: "invalid" },
      ]);

      // Then the real one succeeds and the fake one fails on its own
      assert.deepEqual(
        output.Successful?.map((s) => s.Id),
        ["real"],
      );
      assert.deepEqual(output.Failed, [
        {
          Id: "fake",
          Code: "ReceiptHandleIsInvalid",
          SenderFault: true,
          Message: 'The input receipt handle "invalid" is not a valid receipt handle.',
        },
      ]);
      broker.clock.advance(30_000);
      assert.deepEqual(await receiveAll(QueueUrl), []);
    });
  });

  describe("ChangeMessageVisibilityBatch", () => {
    it("changes every entry and leaves Failed out", async () => {
      // Given three in-flight messages
      const QueueUrl = await broker.createQueue();
      await sendBatch(QueueUrl, entries(3));
      const received = await receiveAll(QueueUrl);

      // When two are released and one is extended to 100 s
      const output = await changeBatch(QueueUrl, [
        { Id: "h0", ReceiptHandle: received[0]!.ReceiptHandle!, VisibilityTimeout: 0 },
        { Id: "h1", ReceiptHandle: received[1]!.ReceiptHandle!, VisibilityTimeout: 0 },
        { Id: "h2", ReceiptHandle: received[2]!.ReceiptHandle!, VisibilityTimeout: 100 },
      ]);
      assert.equal("Failed" in output, false, "Failed is omitted when empty");
      assert.deepEqual(output.Successful?.map((s) => s.Id).sort(), ["h0", "h1", "h2"]);

      // Then the two come back at once and the third only after 100 s
      const released = await receiveAll(QueueUrl);
      assert.deepEqual(
        released.map((m) => m.Body).sort(),
        [received[0]!.Body, received[1]!.Body].sort(),
      );
      // (deleted, so their own new visibility timeout does not bring them back)
      await deleteBatch(QueueUrl, handles(released));
      broker.clock.advance(99_999);
      assert.deepEqual(await receiveAll(QueueUrl), []);
      broker.clock.advance(1);
      assert.deepEqual(
        (await receiveAll(QueueUrl)).map((m) => m.Body),
        [received[2]!.Body],
      );
    });

    it("reports an invalid receipt handle as a failed entry", async () => {
      const QueueUrl = await broker.createQueue();
      await sendBatch(QueueUrl, entries(1));
      const [message] = await receiveAll(QueueUrl);
      const output = await changeBatch(QueueUrl, [
        { Id: "real", ReceiptHandle: message!.ReceiptHandle!, VisibilityTimeout: 0 },
        { Id: "fake", ReceiptHandle: "invalid", VisibilityTimeout: 0 },
      ]);
      assert.deepEqual(
        output.Successful?.map((s) => s.Id),
        ["real"],
      );
      assert.equal(output.Failed?.length, 1);
      assert.equal(output.Failed![0]!.Id, "fake");
      assert.equal(output.Failed![0]!.Code, "ReceiptHandleIsInvalid");
      assert.equal(output.Failed![0]!.SenderFault, true);
    });
  });

  describe("whole-request errors", () => {
    it("refuses an empty SendMessageBatch", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(sendBatch(QueueUrl, []), {
        code: "AWS.SimpleQueueService.EmptyBatchRequest",
        type: "EmptyBatchRequest",
        message: "There should be at least one SendMessageBatchRequestEntry in the request.",
      });
    });

    it("refuses an empty DeleteMessageBatch", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(deleteBatch(QueueUrl, []), {
        code: "AWS.SimpleQueueService.EmptyBatchRequest",
        type: "EmptyBatchRequest",
        message: "There should be at least one DeleteMessageBatchRequestEntry in the request.",
      });
    });

    it("refuses an empty ChangeMessageVisibilityBatch", async () => {
      const QueueUrl = await broker.createQueue();
      // Text only by analogy in the reference: code and status.
      await expectSqsError(changeBatch(QueueUrl, []), {
        code: "AWS.SimpleQueueService.EmptyBatchRequest",
        type: "EmptyBatchRequest",
      });
    });

    const tooMany = {
      code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      type: "TooManyEntriesInBatchRequest",
      message: "Maximum number of entries per request are 10. You have sent 11.",
    };

    it("refuses more than 10 entries in each batch action", async () => {
      // Given a queue with nothing sent: the entry count is checked before anything else
      const QueueUrl = await broker.createQueue();
      await expectSqsError(sendBatch(QueueUrl, entries(11)), tooMany);
      const fakeHandles = Array.from({ length: 11 }, (_, i) => ({
        Id: `h${i}`,
        ReceiptHandle: `handle-${i}`,
      }));
      await expectSqsError(deleteBatch(QueueUrl, fakeHandles), tooMany);
      await expectSqsError(
        changeBatch(
          QueueUrl,
          fakeHandles.map((h) => ({ ...h, VisibilityTimeout: 0 })),
        ),
        tooMany,
      );
      // And nothing of the refused SendMessageBatch was enqueued
      assert.deepEqual(await receiveAll(QueueUrl), []);
    });

    it("accepts exactly 10 entries", async () => {
      const QueueUrl = await broker.createQueue();
      const output = await sendBatch(QueueUrl, entries(10));
      assert.equal(output.Successful?.length, 10);
    });

    for (const [label, id] of [
      ["a colon", "invalid:id"],
      ["a space", "with space"],
      ["81 characters", "x".repeat(81)],
      ["nothing", ""],
    ] as const) {
      it(`refuses an entry id with ${label} in SendMessageBatch and DeleteMessageBatch`, async () => {
        const QueueUrl = await broker.createQueue();
        const badId = {
          code: "AWS.SimpleQueueService.InvalidBatchEntryId",
          type: "InvalidBatchEntryId",
          message: BAD_ID_TEXT,
        };
        await expectSqsError(
          sendBatch(QueueUrl, [
            { Id: "ok", MessageBody: "fine" },
            { Id: id, MessageBody: "bad id" },
          ]),
          badId,
        );
        await expectSqsError(deleteBatch(QueueUrl, [{ Id: id, ReceiptHandle: "x" }]), badId);
        assert.deepEqual(await receiveAll(QueueUrl), [], "nothing of the batch was sent");
      });
    }

    it("refuses a bad entry id in ChangeMessageVisibilityBatch", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        changeBatch(QueueUrl, [{ Id: "invalid:id", ReceiptHandle: "x", VisibilityTimeout: 0 }]),
        { code: "AWS.SimpleQueueService.InvalidBatchEntryId", type: "InvalidBatchEntryId" },
      );
    });

    it("accepts an entry id of 80 letters, hyphens and underscores", async () => {
      const QueueUrl = await broker.createQueue();
      const id = `A-z_0${"9".repeat(75)}`;
      const output = await sendBatch(QueueUrl, [{ Id: id, MessageBody: "fine" }]);
      assert.equal(output.Successful?.[0]?.Id, id);
    });

    it("refuses repeated entry ids in each batch action", async () => {
      const QueueUrl = await broker.createQueue();
      const id = "688a1987-8bce-4093-99ac-8acf3bebd17e";
      const repeated = {
        code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        type: "BatchEntryIdsNotDistinct",
        message: `Id ${id} repeated.`,
      };
      await expectSqsError(
        sendBatch(QueueUrl, [
          { Id: id, MessageBody: "one" },
          { Id: "other", MessageBody: "two" },
          { Id: id, MessageBody: "three" },
        ]),
        repeated,
      );
      await expectSqsError(
        deleteBatch(QueueUrl, [
          { Id: id, ReceiptHandle: "a" },
          { Id: id, ReceiptHandle: "b" },
        ]),
        repeated,
      );
      await expectSqsError(
        changeBatch(QueueUrl, [
          { Id: id, ReceiptHandle: "a", VisibilityTimeout: 0 },
          { Id: id, ReceiptHandle: "b", VisibilityTimeout: 0 },
        ]),
        repeated,
      );
      assert.deepEqual(await receiveAll(QueueUrl), []);
    });

    it("refuses a batch of more than 1 MiB in total with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      const half = 1_048_576 / 2;
      await expectSqsError(
        sendBatch(QueueUrl, [
          { Id: "a", MessageBody: "x".repeat(half) },
          { Id: "b", MessageBody: "y".repeat(half + 1) },
        ]),
        {
          code: "AWS.SimpleQueueService.BatchRequestTooLong",
          type: "BatchRequestTooLong",
          message:
            "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
        },
      );
      assert.deepEqual(await receiveAll(QueueUrl), []);
    });
  });
});

// --- helpers ---

interface ExpectedError {
  /** The Query error code (the SDK's `Code`, from `x-amzn-query-error`). */
  code: string;
  /** The JSON `__type` short name, where it differs from the Query code. */
  type?: string;
  /** Exact text; left out where the reference has none. */
  message?: string;
  status?: number;
}

async function expectSqsError(request: Promise<unknown>, expected: ExpectedError): Promise<void> {
  const outcome = await request.then(
    () => undefined,
    (error: unknown) =>
      error as {
        Code?: string;
        __type?: string;
        message?: string;
        $metadata?: { httpStatusCode?: number };
      },
  );
  assert.ok(outcome, `expected ${expected.code}, but the request succeeded`);
  const withMessage = expected.message !== undefined;
  // Only the JSON protocol has a `__type`.
  const withType = expected.type !== undefined && testProtocol === "json";
  assert.deepEqual(
    {
      code: outcome.Code,
      status: outcome.$metadata?.httpStatusCode,
      ...(withType ? { type: outcome.__type?.split("#").pop() } : {}),
      ...(withMessage ? { message: outcome.message } : {}),
    },
    {
      code: expected.code,
      status: expected.status ?? 400,
      ...(withType ? { type: expected.type } : {}),
      ...(withMessage ? { message: expected.message } : {}),
    },
  );
}
