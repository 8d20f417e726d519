import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { requireDebianFile } from "./client-environment.ts";
import { describeRun, runClient } from "./client-process.ts";
import type { ClientRun } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";
import type { ClientSuite } from "./client-suite.ts";
import { md5OfAttributes, md5OfBody } from "../support/sqs-md5.ts";
import type { AttributeForMd5 } from "../support/sqs-md5.ts";

/**
 * Debian's AWS CLI (awscli 2.9, which speaks the Query protocol: form
 * requests, XML answers) against an in-process broker on the real clock that
 * checks SigV4 (the CLI signs every call with the environment's key).
 * Every call is `/usr/bin/aws --output json sqs ...`; the test parses what the
 * CLI prints, as a user's script would. The CLI checks no MD5s itself, so the
 * test recomputes them. Each CLI call costs about a second of CPU (Python
 * starting the CLI), so the queues a test only needs and the counts it only
 * checks go through the SDK in-process, and the tests run at once.
 */

const AWS = "/usr/bin/aws";
const CALL_TIMEOUT_MS = 30_000;
const ACCOUNT = "000000000000";
/** What the CLI exits with when the service refuses a request. */
const SERVICE_ERROR_EXIT = 254;

interface PrintedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, AttributeForMd5>;
}

interface BatchResult<Entry> {
  Successful?: Entry[];
  Failed?: { Id: string; SenderFault: boolean; Code: string; Message?: string }[];
}

/** Set as the suite is defined; its broker and client exist once its `before` hook ran. */
let suite: ClientSuite;

/** Runs `aws sqs <args>` against the broker and returns how it ended. */
function cli(args: readonly string[]): Promise<ClientRun> {
  // Checked per call, so that each test fails (rather than is cancelled) with this message.
  requireDebianFile(AWS, "awscli");
  return runClient(
    AWS,
    [
      "--endpoint-url",
      suite.broker.endpoint,
      "--output",
      "json",
      "--cli-connect-timeout",
      "5",
      "--cli-read-timeout",
      "25",
      "sqs",
      ...args,
    ],
    { env: suite.client.env, timeoutMs: CALL_TIMEOUT_MS },
  );
}

/** Runs `aws sqs <args>`, asserts it succeeded and returns its JSON output (`{}` when it printed nothing). */
async function sqs<Output = Record<string, never>>(...args: string[]): Promise<Output> {
  const run = await cli(args);
  assert.equal(run.code, 0, describeRun(run));
  return (run.stdout.trim() === "" ? {} : JSON.parse(run.stdout)) as Output;
}

/** Runs `aws sqs <args>`, asserts the service refused it, and returns the error line the user sees. */
async function sqsRefused(...args: string[]): Promise<string> {
  const run = await cli(args);
  assert.equal(run.code, SERVICE_ERROR_EXIT, describeRun(run));
  assert.equal(run.stdout, "", describeRun(run));
  return run.stderr.trim();
}

async function createQueue(name: string, attributes?: string): Promise<string> {
  const extra = attributes === undefined ? [] : ["--attributes", attributes];
  const { QueueUrl } = await sqs<{ QueueUrl: string }>(
    "create-queue",
    "--queue-name",
    name,
    ...extra,
  );
  assert.equal(QueueUrl, `${suite.broker.endpoint}/${ACCOUNT}/${name}`);
  return QueueUrl;
}

async function queueAttributes(queueUrl: string, ...names: string[]) {
  const { Attributes } = await sqs<{ Attributes: Record<string, string> }>(
    "get-queue-attributes",
    "--queue-url",
    queueUrl,
    "--attribute-names",
    ...(names.length === 0 ? ["All"] : names),
  );
  return Attributes;
}

async function receive(queueUrl: string, ...extra: string[]): Promise<PrintedMessage[]> {
  const { Messages } = await sqs<{ Messages?: PrintedMessage[] }>(
    "receive-message",
    "--queue-url",
    queueUrl,
    ...extra,
  );
  return Messages ?? [];
}

/** Receives until `count` messages came back (a standard queue may answer with fewer), at most 5 calls. */
async function receiveAll(queueUrl: string, count: number, ...extra: string[]) {
  const received: PrintedMessage[] = [];
  for (let call = 0; call < 5 && received.length < count; call++) {
    received.push(
      ...(await receive(
        queueUrl,
        "--max-number-of-messages",
        "10",
        "--wait-time-seconds",
        "1",
        ...extra,
      )),
    );
  }
  return received;
}

/** The queue's counts, read with the SDK: the broker's state is checked, not the CLI's printing of it. */
async function countsOf(queueUrl: string) {
  const counts = await suite.broker.messageCounts(queueUrl);
  return {
    visible: counts?.ApproximateNumberOfMessages,
    inFlight: counts?.ApproximateNumberOfMessagesNotVisible,
  };
}

function byBody(messages: PrintedMessage[]): Map<string, PrintedMessage> {
  return new Map(messages.map((message) => [message.Body, message]));
}

describe("awscli (Debian 2.9, Query) against a SigV4 broker", { concurrency: true }, () => {
  suite = signedBrokerSuite();

  it("create-queue (standard with attributes, FIFO with content-based dedup), get-queue-url, list-queues", async () => {
    const prefix = suite.broker.uniqueName("cli-create");
    const standardUrl = await createQueue(
      prefix,
      "VisibilityTimeout=45,MessageRetentionPeriod=3600,ReceiveMessageWaitTimeSeconds=2",
    );
    const fifoUrl = await createQueue(
      `${prefix}-orders.fifo`,
      "FifoQueue=true,ContentBasedDeduplication=true",
    );

    assert.deepEqual(await sqs("get-queue-url", "--queue-name", prefix), { QueueUrl: standardUrl });
    const { QueueUrls } = await sqs<{ QueueUrls: string[] }>(
      "list-queues",
      "--queue-name-prefix",
      prefix,
    );
    assert.deepEqual([...QueueUrls].sort(), [standardUrl, fifoUrl].sort());

    const standard = await queueAttributes(standardUrl);
    assert.equal(standard.QueueArn, `arn:aws:sqs:us-east-1:${ACCOUNT}:${prefix}`);
    assert.equal(standard.VisibilityTimeout, "45");
    assert.equal(standard.MessageRetentionPeriod, "3600");
    assert.equal(standard.ReceiveMessageWaitTimeSeconds, "2");
    assert.equal(standard.FifoQueue, undefined);
    const fifo = await queueAttributes(fifoUrl);
    assert.equal(fifo.FifoQueue, "true");
    assert.equal(fifo.ContentBasedDeduplication, "true");
    assert.equal(fifo.DeduplicationScope, "queue");
    assert.equal(fifo.FifoThroughputLimit, "perQueue");
  });

  it("send-message with String, Number and Binary attributes; receive-message returns them with matching MD5s; delete-message", async () => {
    // Given a body with XML's special characters, a CR LF and a character outside the BMP
    const queueUrl = await suite.broker.createQueue({}, "cli-send");
    const body = 'Widget <42> & "friends"\r\nline two ]]> 😀 é';
    const attributes: Record<string, AttributeForMd5> = {
      colour: { DataType: "String", StringValue: "blue & <green>" },
      count: { DataType: "Number", StringValue: "42" },
      raw: { DataType: "Binary", BinaryValue: Buffer.of(0, 1, 2, 254, 255).toString("base64") },
    };
    const sentAt = Date.now();

    // When the CLI sends it and receives it with every attribute
    const sent = await sqs<{
      MessageId: string;
      MD5OfMessageBody: string;
      MD5OfMessageAttributes: string;
    }>(
      "send-message",
      "--queue-url",
      queueUrl,
      "--message-body",
      body,
      "--message-attributes",
      JSON.stringify(attributes),
    );
    const [message, ...more] = await receive(
      queueUrl,
      "--attribute-names",
      "All",
      "--message-attribute-names",
      "All",
      "--wait-time-seconds",
      "5",
    );

    // Then body, attributes and MD5s come back as sent
    assert.equal(sent.MD5OfMessageBody, md5OfBody(body));
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(attributes));
    assert.ok(message, "receive-message returned no message");
    assert.equal(more.length, 0);
    assert.equal(message.MessageId, sent.MessageId);
    assert.equal(message.Body, body);
    assert.equal(message.MD5OfBody, md5OfBody(body));
    assert.deepEqual(message.MessageAttributes, attributes);
    assert.equal(message.MD5OfMessageAttributes, md5OfAttributes(attributes));
    const system = message.Attributes ?? {};
    assert.equal(system.ApproximateReceiveCount, "1");
    assert.ok(system.SenderId, "SenderId is missing");
    const sentTimestamp = Number(system.SentTimestamp);
    assert.ok(
      sentTimestamp >= sentAt - 1000 && sentTimestamp <= Date.now(),
      `SentTimestamp ${sentTimestamp}`,
    );
    assert.ok(Number(system.ApproximateFirstReceiveTimestamp) >= sentTimestamp);

    // And once deleted it is gone
    assert.deepEqual(
      await sqs(
        "delete-message",
        "--queue-url",
        queueUrl,
        "--receipt-handle",
        message.ReceiptHandle,
      ),
      {},
    );
    assert.deepEqual(await countsOf(queueUrl), { visible: "0", inFlight: "0" });
  });

  it("send-message-batch, change-message-visibility(-batch), delete-message-batch", async () => {
    const queueUrl = await suite.broker.createQueue({}, "cli-batch");
    const attributes = { k: { DataType: "String", StringValue: "v" } };
    const entries = [
      { Id: "a", MessageBody: "batch a" },
      { Id: "b", MessageBody: "batch b", MessageAttributes: attributes },
      { Id: "c", MessageBody: "batch c" },
    ];

    const sent = await sqs<
      BatchResult<{
        Id: string;
        MessageId: string;
        MD5OfMessageBody: string;
        MD5OfMessageAttributes?: string;
      }>
    >("send-message-batch", "--queue-url", queueUrl, "--entries", JSON.stringify(entries));
    assert.deepEqual(sent.Failed ?? [], []);
    assert.deepEqual(
      (sent.Successful ?? [])
        .map(({ Id, MD5OfMessageBody, MD5OfMessageAttributes }) => ({
          Id,
          MD5OfMessageBody,
          MD5OfMessageAttributes,
        }))
        .sort((x, y) => x.Id.localeCompare(y.Id)),
      [
        { Id: "a", MD5OfMessageBody: md5OfBody("batch a"), MD5OfMessageAttributes: undefined },
        {
          Id: "b",
          MD5OfMessageBody: md5OfBody("batch b"),
          MD5OfMessageAttributes: md5OfAttributes(attributes),
        },
        { Id: "c", MD5OfMessageBody: md5OfBody("batch c"), MD5OfMessageAttributes: undefined },
      ],
    );

    // Given all three in flight for a minute
    const first = byBody(await receiveAll(queueUrl, 3, "--visibility-timeout", "60"));
    assert.deepEqual([...first.keys()].sort(), ["batch a", "batch b", "batch c"]);

    // When one is made visible again, it is received a second time, alone
    await sqs(
      "change-message-visibility",
      "--queue-url",
      queueUrl,
      "--receipt-handle",
      first.get("batch a")!.ReceiptHandle,
      "--visibility-timeout",
      "0",
    );
    const again = await receive(
      queueUrl,
      "--max-number-of-messages",
      "10",
      "--attribute-names",
      "All",
    );
    assert.deepEqual(
      again.map((message) => [message.Body, message.Attributes?.ApproximateReceiveCount]),
      [["batch a", "2"]],
    );

    // And the batch forms change and delete all three; a bogus handle fails alone
    const extended = await sqs<BatchResult<{ Id: string }>>(
      "change-message-visibility-batch",
      "--queue-url",
      queueUrl,
      "--entries",
      JSON.stringify([
        { Id: "b", ReceiptHandle: first.get("batch b")!.ReceiptHandle, VisibilityTimeout: 120 },
        { Id: "c", ReceiptHandle: first.get("batch c")!.ReceiptHandle, VisibilityTimeout: 120 },
      ]),
    );
    assert.deepEqual((extended.Successful ?? []).map((entry) => entry.Id).sort(), ["b", "c"]);
    assert.deepEqual(extended.Failed ?? [], []);
    const deleted = await sqs<BatchResult<{ Id: string }>>(
      "delete-message-batch",
      "--queue-url",
      queueUrl,
      "--entries",
      JSON.stringify([
        { Id: "a", ReceiptHandle: again[0]!.ReceiptHandle },
        { Id: "b", ReceiptHandle: first.get("batch b")!.ReceiptHandle },
        { Id: "c", ReceiptHandle: first.get("batch c")!.ReceiptHandle },
        { Id: "bogus", ReceiptHandle: "not-a-receipt-handle" },
      ]),
    );
    assert.deepEqual((deleted.Successful ?? []).map((entry) => entry.Id).sort(), ["a", "b", "c"]);
    assert.deepEqual(
      (deleted.Failed ?? []).map(({ Id, SenderFault, Code }) => ({ Id, SenderFault, Code })),
      [{ Id: "bogus", SenderFault: true, Code: "ReceiptHandleIsInvalid" }],
    );
    assert.deepEqual(await countsOf(queueUrl), { visible: "0", inFlight: "0" });
  });

  it("FIFO: send with a group id, order within the group, a content duplicate is dropped", async () => {
    const queueUrl = await suite.broker.createFifoQueue(
      { ContentBasedDeduplication: "true" },
      "cli-fifo",
    );
    const send = (body: string, group: string, ...extra: string[]) =>
      sqs<{ MessageId: string; SequenceNumber: string; MD5OfMessageBody: string }>(
        "send-message",
        "--queue-url",
        queueUrl,
        "--message-body",
        body,
        "--message-group-id",
        group,
        ...extra,
      );

    // Given two messages in group g1, the first sent twice, and one in g2 with its own dedup id
    const first = await send("first", "g1");
    const second = await send("second", "g1");
    const duplicate = await send("first", "g1");
    await send("other", "g2", "--message-deduplication-id", "d1");
    assert.match(first.SequenceNumber, /^\d+$/);
    assert.ok(BigInt(second.SequenceNumber) > BigInt(first.SequenceNumber));
    assert.equal(duplicate.MD5OfMessageBody, md5OfBody("first"));

    // When everything is received
    const received = await receiveAll(queueUrl, 3, "--attribute-names", "All");

    // Then each group is in order and the duplicate never arrives
    const groups = new Map<string, string[]>();
    for (const message of received) {
      const group = message.Attributes?.MessageGroupId ?? "(none)";
      groups.set(group, [...(groups.get(group) ?? []), message.Body]);
    }
    assert.deepEqual(Object.fromEntries(groups), { g1: ["first", "second"], g2: ["other"] });
    const messages = byBody(received);
    assert.equal(
      messages.get("first")!.Attributes?.MessageDeduplicationId,
      createHash("sha256").update("first").digest("hex"),
    );
    assert.equal(messages.get("first")!.Attributes?.SequenceNumber, first.SequenceNumber);
    assert.equal(messages.get("other")!.Attributes?.MessageDeduplicationId, "d1");
    assert.deepEqual(await countsOf(queueUrl), { visible: "0", inFlight: "3" });
  });

  it("set-queue-attributes RedrivePolicy: a message goes to the DLQ after maxReceiveCount receives; list-dead-letter-source-queues", async () => {
    const dlqUrl = await suite.broker.createQueue({}, "cli-dlq");
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${dlqUrl.split("/").at(-1)}`;
    const sourceUrl = await suite.broker.createQueue({}, "cli-source");
    const policy = { deadLetterTargetArn: dlqArn, maxReceiveCount: 2 };
    await sqs(
      "set-queue-attributes",
      "--queue-url",
      sourceUrl,
      "--attributes",
      JSON.stringify({ RedrivePolicy: JSON.stringify(policy) }),
    );
    const { RedrivePolicy } = await queueAttributes(sourceUrl, "RedrivePolicy");
    assert.deepEqual(JSON.parse(RedrivePolicy!), policy);

    // Given a message received maxReceiveCount times without being deleted
    const { MessageId } = await sqs<{ MessageId: string }>(
      "send-message",
      "--queue-url",
      sourceUrl,
      "--message-body",
      "poison",
    );
    const counts: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const messages = await receive(
        sourceUrl,
        "--visibility-timeout",
        "0",
        "--attribute-names",
        "All",
        "--wait-time-seconds",
        "2",
      );
      counts.push(...messages.map((message) => message.Attributes?.ApproximateReceiveCount ?? "?"));
    }
    assert.deepEqual(counts, ["1", "2"]);

    // When it is received once more, it moves to the DLQ instead
    assert.deepEqual(await receive(sourceUrl, "--visibility-timeout", "0"), []);
    const [moved, ...more] = await receive(
      dlqUrl,
      "--attribute-names",
      "All",
      "--wait-time-seconds",
      "2",
    );
    assert.ok(moved, "nothing arrived in the dead-letter queue");
    assert.equal(more.length, 0);
    assert.equal(moved.Body, "poison");
    assert.equal(moved.MessageId, MessageId);
    assert.deepEqual(await sqs("list-dead-letter-source-queues", "--queue-url", dlqUrl), {
      queueUrls: [sourceUrl],
    });
  });

  it("tag-queue, list-queue-tags, untag-queue, get-queue-attributes All, purge-queue, delete-queue", async () => {
    const queueUrl = await suite.broker.createQueue({}, "cli-admin");
    const name = queueUrl.split("/").at(-1)!;

    await sqs("tag-queue", "--queue-url", queueUrl, "--tags", "team=widgets,env=test");
    assert.deepEqual(await sqs("list-queue-tags", "--queue-url", queueUrl), {
      Tags: { team: "widgets", env: "test" },
    });
    await sqs("untag-queue", "--queue-url", queueUrl, "--tag-keys", "team");
    assert.deepEqual(await sqs("list-queue-tags", "--queue-url", queueUrl), {
      Tags: { env: "test" },
    });

    await sqs(
      "send-message-batch",
      "--queue-url",
      queueUrl,
      "--entries",
      "Id=1,MessageBody=one",
      "Id=2,MessageBody=two",
    );
    const attributes = await queueAttributes(queueUrl);
    // What AWS answers for a new standard queue with All
    assert.deepEqual(Object.keys(attributes).sort(), [
      "ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesDelayed",
      "ApproximateNumberOfMessagesNotVisible",
      "CreatedTimestamp",
      "DelaySeconds",
      "LastModifiedTimestamp",
      "MaximumMessageSize",
      "MessageRetentionPeriod",
      "QueueArn",
      "ReceiveMessageWaitTimeSeconds",
      "SqsManagedSseEnabled",
      "VisibilityTimeout",
    ]);
    assert.equal(attributes.ApproximateNumberOfMessages, "2");
    assert.equal(attributes.VisibilityTimeout, "30");
    assert.equal(attributes.DelaySeconds, "0");
    const createdSeconds = Number(attributes.CreatedTimestamp);
    assert.ok(
      Math.abs(createdSeconds - Date.now() / 1000) < 120,
      `CreatedTimestamp ${createdSeconds}`,
    );

    await sqs("purge-queue", "--queue-url", queueUrl);
    assert.deepEqual(await queueAttributes(queueUrl, "ApproximateNumberOfMessages"), {
      ApproximateNumberOfMessages: "0",
    });

    await sqs("delete-queue", "--queue-url", queueUrl);
    assert.match(
      await sqsRefused("get-queue-url", "--queue-name", name),
      /AWS\.SimpleQueueService\.NonExistentQueue/,
    );
  });

  it("errors: exit 254 and AWS's code on stderr (a missing queue, a FIFO send without a group, a bogus receipt handle, a bad name)", async () => {
    const fifoUrl = await suite.broker.createFifoQueue({}, "cli-errors");
    const [missing, noGroup, badHandle, badName] = await Promise.all([
      sqsRefused("get-queue-url", "--queue-name", suite.broker.uniqueName("cli-missing")),
      sqsRefused("send-message", "--queue-url", fifoUrl, "--message-body", "x"),
      sqsRefused("delete-message", "--queue-url", fifoUrl, "--receipt-handle", "bogus"),
      sqsRefused("create-queue", "--queue-name", "bad name!"),
    ]);
    assert.equal(
      missing,
      "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: " +
        "The specified queue does not exist for this wsdl version.",
    );
    assert.match(
      noGroup,
      /^An error occurred \(MissingParameter\) when calling the SendMessage operation: /,
    );
    assert.match(
      badHandle,
      /^An error occurred \(ReceiptHandleIsInvalid\) when calling the DeleteMessage operation: /,
    );
    assert.match(
      badName,
      /^An error occurred \(InvalidParameterValue\) when calling the CreateQueue operation: /,
    );
  });
});
