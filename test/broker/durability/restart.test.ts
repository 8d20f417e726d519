import assert from "node:assert/strict";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import type { Message, MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import { DATABASE_FILE } from "../../../src/broker/create-broker.ts";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/**
 * A broker on SQLite in a temporary folder that a test can stop and start
 * again, with one ManualClock across restarts so that time only moves when
 * the test says so (also while the broker is down).
 */
class DurableBroker {
  readonly clock = new ManualClock();
  readonly dataDir = mkdtempSync(join(tmpdir(), "mailroom-restart-"));
  private current: TestBroker | undefined;

  get sqs(): SQSClient {
    return this.running.sqs;
  }

  private get running(): TestBroker {
    assert.ok(this.current, "the broker is running");
    return this.current;
  }

  async start(): Promise<void> {
    this.current = await startTestBroker({
      inMemory: false,
      dataDir: this.dataDir,
      clock: this.clock,
    });
  }

  async stop(): Promise<void> {
    const broker = this.current;
    this.current = undefined;
    await broker?.close();
  }

  /** Stops the broker, lets `downtimeMs` pass on the clock, and starts it again on the same data. */
  async restart(downtimeMs = 0): Promise<void> {
    await this.stop();
    if (downtimeMs > 0) this.clock.advance(downtimeMs);
    await this.start();
  }

  uniqueName(prefix?: string, fifo?: boolean): string {
    return this.running.uniqueName(prefix, fifo);
  }

  async createQueue(
    name: string,
    attributes: Record<string, string> = {},
    tags?: Record<string, string>,
  ) {
    const { QueueUrl } = await this.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }),
    );
    return QueueUrl!;
  }

  /** Queue URLs carry the port, which changes with every start. */
  async urlOf(name: string): Promise<string> {
    return (await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  }

  async attributes(name: string, names: string[] = ["All"]): Promise<Record<string, string>> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await this.urlOf(name),
        AttributeNames: names as never,
      }),
    );
    return Attributes;
  }

  async send(name: string, body: string, extra: Record<string, unknown> = {}) {
    return this.sqs.send(
      new SendMessageCommand({ QueueUrl: await this.urlOf(name), MessageBody: body, ...extra }),
    );
  }

  async receive(name: string, extra: Record<string, unknown> = {}): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: await this.urlOf(name),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
        ...extra,
      }),
    );
    return Messages;
  }

  async delete(name: string, receiptHandle: string): Promise<void> {
    await this.sqs.send(
      new DeleteMessageCommand({ QueueUrl: await this.urlOf(name), ReceiptHandle: receiptHandle }),
    );
  }

  /**
   * Queries a copy of the database files as they are on disk right now:
   * what a crash at this moment would leave. (The broker holds its database
   * exclusively, so the copy is also the only way to look.) The broker runs
   * in this thread, so it cannot write while the files are copied.
   */
  onDisk<T>(sql: string, ...params: unknown[]): T | undefined {
    const copy = mkdtempSync(join(tmpdir(), "mailroom-snapshot-"));
    try {
      for (const suffix of ["", "-wal"]) {
        const from = join(this.dataDir, DATABASE_FILE + suffix);
        if (existsSync(from)) copyFileSync(from, join(copy, DATABASE_FILE + suffix));
      }
      const db = new Database(join(copy, DATABASE_FILE), { fileMustExist: true });
      try {
        return db.prepare(sql).get(...params) as T | undefined;
      } finally {
        db.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }

  /**
   * With the broker stopped: breaks the chain of overflow pages that holds
   * `marker` (a page's first 4 bytes point to the next page of a large
   * value; this points them past the end of the file), as a bad disk would.
   */
  damagePageHolding(marker: string): void {
    assert.equal(this.current, undefined, "the broker is stopped");
    const file = join(this.dataDir, DATABASE_FILE);
    assert.ok(!existsSync(`${file}-wal`), "every page is in the database file");
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const at = bytes.indexOf(marker);
    assert.ok(at > 0, `${marker} is in the file`);
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.from([0xff, 0xff, 0xff, 0x00]), 0, 4, at - (at % pageSize));
    closeSync(fd);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const bodies = (messages: Message[]) => messages.map((m) => m.Body);
const counts = (attributes: Record<string, string>) => ({
  visible: attributes.ApproximateNumberOfMessages,
  inFlight: attributes.ApproximateNumberOfMessagesNotVisible,
  delayed: attributes.ApproximateNumberOfMessagesDelayed,
});
const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("durable storage across a restart (SQLite)", () => {
  let broker: DurableBroker;

  async function listMoveTasks(SourceArn: string, MaxResults?: number) {
    const { Results = [] } = await broker.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn, MaxResults }),
    );
    return Results;
  }
  beforeEach(async () => {
    broker = new DurableBroker();
    await broker.start();
  });
  afterEach(() => broker.dispose());

  describe("queues", () => {
    it("keep their attributes, tags and redrive policy", async () => {
      // Given queues set up in every way the API allows
      const dlq = broker.uniqueName("dlq");
      const source = broker.uniqueName("source");
      const fifo = broker.uniqueName("fifo", true);
      const gone = broker.uniqueName("gone");
      await broker.createQueue(dlq, { MessageRetentionPeriod: "1209600" }, { role: "dlq" });
      const dlqArn = (await broker.attributes(dlq, ["QueueArn"])).QueueArn!;
      const sourceUrl = await broker.createQueue(
        source,
        {
          VisibilityTimeout: "45",
          DelaySeconds: "3",
          MessageRetentionPeriod: "3600",
          MaximumMessageSize: "2048",
          ReceiveMessageWaitTimeSeconds: "2",
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }),
        },
        { team: "ops", env: "test" },
      );
      await broker.createQueue(fifo, {
        FifoQueue: "true",
        ContentBasedDeduplication: "true",
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });
      await broker.createQueue(gone);
      // ...then changed after creation
      broker.clock.advance(5 * SECOND);
      await broker.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: sourceUrl,
          Attributes: { VisibilityTimeout: "50" },
        }),
      );
      await broker.sqs.send(new TagQueueCommand({ QueueUrl: sourceUrl, Tags: { owner: "alice" } }));
      await broker.sqs.send(new UntagQueueCommand({ QueueUrl: sourceUrl, TagKeys: ["env"] }));
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: await broker.urlOf(gone) }));
      const before = {
        dlq: await broker.attributes(dlq),
        source: await broker.attributes(source),
        fifo: await broker.attributes(fifo),
      };

      // When the broker restarts
      await broker.restart();

      // Then every queue is as it was, down to its timestamps
      assert.deepEqual(await broker.attributes(dlq), before.dlq);
      assert.deepEqual(await broker.attributes(source), before.source);
      assert.deepEqual(await broker.attributes(fifo), before.fifo);
      assert.equal(before.source.VisibilityTimeout, "50");
      assert.notEqual(before.source.LastModifiedTimestamp, before.source.CreatedTimestamp);
      assert.deepEqual(JSON.parse(before.source.RedrivePolicy!), {
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: 4,
      });

      const { Tags } = await broker.sqs.send(
        new ListQueueTagsCommand({ QueueUrl: await broker.urlOf(source) }),
      );
      assert.deepEqual(Tags, { team: "ops", owner: "alice" });
      const dlqTags = await broker.sqs.send(
        new ListQueueTagsCommand({ QueueUrl: await broker.urlOf(dlq) }),
      );
      assert.deepEqual(dlqTags.Tags, { role: "dlq" });

      const sources = await broker.sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: await broker.urlOf(dlq) }),
      );
      assert.deepEqual(sources.queueUrls, [await broker.urlOf(source)]);

      // And the deleted queue stays deleted
      const { QueueUrls = [] } = await broker.sqs.send(new ListQueuesCommand({}));
      const names = QueueUrls.map((url) => url.slice(url.lastIndexOf("/") + 1));
      assert.deepEqual(names.sort(), [dlq, fifo, source].sort());
    });

    it("load a redrive policy an older version accepted and this one would refuse", async () => {
      // Given a queue whose stored maxReceiveCount is "1e1", which versions up to
      // session 18 accepted (as 10) and this one refuses from a request
      const dlq = broker.uniqueName("dlq");
      const source = broker.uniqueName("source");
      await broker.createQueue(dlq);
      const dlqArn = (await broker.attributes(dlq, ["QueueArn"])).QueueArn!;
      await broker.createQueue(source);
      await broker.stop();
      const db = new Database(join(broker.dataDir, DATABASE_FILE));
      const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "1e1" });
      db.prepare(
        "UPDATE queues SET attributes = json_set(attributes, '$.RedrivePolicy', ?) WHERE name = ?",
      ).run(policy, source);
      db.close();

      // When the broker starts on it
      await broker.start();

      // Then the queue is there with 10, and its other attributes can still be set
      const { RedrivePolicy } = await broker.attributes(source, ["RedrivePolicy"]);
      assert.deepEqual(JSON.parse(RedrivePolicy!), {
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: 10,
      });
      await broker.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: await broker.urlOf(source),
          Attributes: { VisibilityTimeout: "40" },
        }),
      );
      assert.equal(
        (await broker.attributes(source, ["VisibilityTimeout"])).VisibilityTimeout,
        "40",
      );
    });
  });

  describe("messages", () => {
    it("visible messages keep body, attributes (binary too), ids and timestamps; deleted ones stay gone", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name);
      // Given a message received and deleted...
      const doomed = await broker.send(name, "doomed");
      const [received] = await broker.receive(name);
      assert.equal(received?.MessageId, doomed.MessageId);
      await broker.delete(name, received!.ReceiptHandle!);
      // ...and messages waiting, with every kind of attribute
      broker.clock.advance(SECOND);
      const binary = Uint8Array.from([0, 1, 2, 127, 128, 254, 255]);
      const attributes: Record<string, MessageAttributeValue> = {
        text: { DataType: "String", StringValue: "héllo ✓" },
        count: { DataType: "Number", StringValue: "-12.5e3" },
        blob: { DataType: "Binary", BinaryValue: binary },
        custom: { DataType: "String.custom", StringValue: "typed" },
      };
      const first = await broker.send(name, "first ✉ body", {
        MessageAttributes: attributes,
        MessageSystemAttributes: {
          AWSTraceHeader: {
            DataType: "String",
            StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793",
          },
        },
      });
      const urlBefore = await broker.urlOf(name);
      const batch = await broker.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: urlBefore,
          Entries: [
            { Id: "a", MessageBody: "second" },
            { Id: "b", MessageBody: "x".repeat(100_000) },
          ],
        }),
      );
      assert.equal(batch.Successful?.length, 2);
      const sentAt = String(broker.clock.now());

      // When the broker restarts
      await broker.restart();

      // Then the waiting messages come back exactly as sent, and the deleted one does not
      assert.deepEqual(counts(await broker.attributes(name)), {
        visible: "3",
        inFlight: "0",
        delayed: "0",
      });
      const messages = await broker.receive(name);
      assert.deepEqual(
        bodies(messages).sort(),
        ["first ✉ body", "second", "x".repeat(100_000)].sort(),
      );
      assert.ok(!messages.some((m) => m.MessageId === doomed.MessageId));

      const restored = messages.find((m) => m.Body === "first ✉ body")!;
      assert.equal(restored.MessageId, first.MessageId);
      assert.equal(restored.MD5OfBody, first.MD5OfMessageBody);
      assert.equal(restored.MD5OfMessageAttributes, first.MD5OfMessageAttributes);
      assert.equal(restored.MessageAttributes?.text?.StringValue, "héllo ✓");
      assert.equal(restored.MessageAttributes?.count?.StringValue, "-12.5e3");
      assert.equal(restored.MessageAttributes?.count?.DataType, "Number");
      assert.equal(restored.MessageAttributes?.custom?.DataType, "String.custom");
      assert.equal(restored.MessageAttributes?.blob?.DataType, "Binary");
      assert.deepEqual(
        Buffer.from(restored.MessageAttributes!.blob!.BinaryValue!),
        Buffer.from(binary),
      );
      assert.equal(restored.Attributes?.AWSTraceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793");
      assert.equal(restored.Attributes?.SentTimestamp, sentAt);
      assert.equal(restored.Attributes?.ApproximateReceiveCount, "1");

      const ids = new Map(batch.Successful!.map((entry) => [entry.Id, entry.MessageId]));
      assert.equal(messages.find((m) => m.Body === "second")?.MessageId, ids.get("a"));
      assert.equal(messages.find((m) => m.Body?.startsWith("xxx"))?.MessageId, ids.get("b"));
    });

    it("an in-flight message stays hidden until its visibility timeout passes, then returns with its receive count", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { VisibilityTimeout: "60" });
      // Given three messages received (in flight for 60 s)
      for (const body of ["left", "deleted-later", "released-later"]) await broker.send(name, body);
      const received = await broker.receive(name);
      assert.deepEqual(bodies(received).sort(), ["deleted-later", "left", "released-later"]);
      const handle = (body: string) => received.find((m) => m.Body === body)!.ReceiptHandle!;
      const firstReceived = received.find((m) => m.Body === "left")!.Attributes!
        .ApproximateFirstReceiveTimestamp;
      broker.clock.advance(10 * SECOND);

      // When the broker restarts
      await broker.restart();

      // Then none of them is delivered yet
      assert.deepEqual(counts(await broker.attributes(name)), {
        visible: "0",
        inFlight: "3",
        delayed: "0",
      });
      assert.deepEqual(await broker.receive(name), []);

      // And the receipt handles from before the restart still work
      await broker.delete(name, handle("deleted-later"));
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await broker.urlOf(name),
          ReceiptHandle: handle("released-later"),
          VisibilityTimeout: 0,
        }),
      );
      const released = await broker.receive(name);
      assert.deepEqual(bodies(released), ["released-later"]);
      assert.equal(released[0]!.Attributes?.ApproximateReceiveCount, "2");

      // And the last one comes back only when its 60 s are up
      broker.clock.advance(49 * SECOND);
      assert.deepEqual(await broker.receive(name), []);
      broker.clock.advance(1 * SECOND);
      const returned = await broker.receive(name);
      assert.deepEqual(bodies(returned), ["left"]);
      assert.equal(returned[0]!.Attributes?.ApproximateReceiveCount, "2");
      assert.equal(returned[0]!.Attributes?.ApproximateFirstReceiveTimestamp, firstReceived);
    });

    it("an in-flight message whose timeout ran out while the broker was down is delivered at once", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { VisibilityTimeout: "30" });
      await broker.send(name, "m");
      assert.equal((await broker.receive(name)).length, 1);

      await broker.restart(31 * SECOND);

      const messages = await broker.receive(name);
      assert.deepEqual(bodies(messages), ["m"]);
      assert.equal(messages[0]!.Attributes?.ApproximateReceiveCount, "2");
    });

    it("a visibility change is kept: an extended timeout stays extended", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { VisibilityTimeout: "10" });
      await broker.send(name, "slow job");
      const [message] = await broker.receive(name);
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await broker.urlOf(name),
          ReceiptHandle: message!.ReceiptHandle!,
          VisibilityTimeout: 300,
        }),
      );

      await broker.restart(11 * SECOND);

      assert.deepEqual(await broker.receive(name), [], "still hidden after the original 10 s");
      broker.clock.advance(288 * SECOND);
      assert.deepEqual(await broker.receive(name), [], "still hidden at 299 s");
      broker.clock.advance(1 * SECOND);
      assert.deepEqual(bodies(await broker.receive(name)), ["slow job"]);
    });

    it("delayed messages stay delayed for the rest of their delay", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { DelaySeconds: "0" });
      await broker.send(name, "later", { DelaySeconds: 120 });
      await broker.send(name, "now");
      broker.clock.advance(20 * SECOND);

      await broker.restart();

      assert.deepEqual(counts(await broker.attributes(name)), {
        visible: "1",
        inFlight: "0",
        delayed: "1",
      });
      const [now] = await broker.receive(name);
      assert.equal(now?.Body, "now");
      await broker.delete(name, now.ReceiptHandle!);
      broker.clock.advance(99 * SECOND);
      assert.deepEqual(await broker.receive(name), []);
      broker.clock.advance(1 * SECOND);
      const messages = await broker.receive(name);
      assert.deepEqual(bodies(messages), ["later"]);
      assert.equal(messages[0]!.Attributes?.ApproximateReceiveCount, "1");
    });

    it("a message whose stored body is damaged is set aside; the others are still delivered", async () => {
      // Given five large messages (each spans several pages), one on a damaged page
      const name = broker.uniqueName();
      await broker.createQueue(name);
      const bodyOf = (i: number) =>
        `m${i}:` + `${i}`.repeat(5_000) + `MARK-${i}` + "z".repeat(15_000);
      for (let i = 1; i <= 5; i++) await broker.send(name, bodyOf(i));
      await broker.stop();
      broker.damagePageHolding("MARK-3");
      await broker.start();

      // Then receives deliver the four healthy messages, and never fail
      const first = await broker.receive(name);
      const second = await broker.receive(name);
      assert.deepEqual(
        bodies([...first, ...second])
          .map((body) => body?.slice(0, 3))
          .sort(),
        ["m1:", "m2:", "m4:", "m5:"],
      );
      assert.deepEqual(await broker.receive(name), []);
    });

    it("a damaged message due for the dead-letter queue is set aside; the others move, and the broker goes on", async () => {
      // Given five large messages received once, one of them on a damaged page, due for the DLQ
      const name = broker.uniqueName();
      const dlq = broker.uniqueName("dlq");
      await broker.createQueue(dlq);
      const { QueueArn } = await broker.attributes(dlq, ["QueueArn"]);
      await broker.createQueue(name, {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: QueueArn, maxReceiveCount: 1 }),
      });
      const bodyOf = (i: number) =>
        `m${i}:` + `${i}`.repeat(5_000) + `DLQ-${i}` + "z".repeat(15_000);
      for (let i = 1; i <= 5; i++) await broker.send(name, bodyOf(i));
      assert.equal((await broker.receive(name, { VisibilityTimeout: 0 })).length, 5);
      await broker.stop();
      broker.damagePageHolding("DLQ-3");
      await broker.start();

      // Then the receive moves the four healthy ones, sets the damaged one aside, and all else works
      assert.deepEqual(await broker.receive(name), []);
      const moved = [...(await broker.receive(dlq)), ...(await broker.receive(dlq))];
      assert.deepEqual(moved.map((m) => m.Body?.slice(0, 3)).sort(), ["m1:", "m2:", "m4:", "m5:"]);
      await broker.send(name, "after");
      assert.deepEqual(bodies(await broker.receive(name)), ["after"]);
    });

    it("PurgeQueue of a queue holding a damaged message leaves that message in the file, and the broker goes on", async () => {
      // Given five large messages, one on a damaged page that no receive has read yet
      const name = broker.uniqueName();
      await broker.createQueue(name);
      const bodyOf = (i: number) =>
        `m${i}:` + `${i}`.repeat(5_000) + `PURGE-${i}` + "z".repeat(15_000);
      for (let i = 1; i <= 5; i++) await broker.send(name, bodyOf(i));
      await broker.stop();
      broker.damagePageHolding("PURGE-3");
      await broker.start();

      // When the queue is purged
      await broker.sqs.send(new PurgeQueueCommand({ QueueUrl: await broker.urlOf(name) }));

      // Then the broker serves on, the queue is empty, and the damaged row is still in the file
      assert.equal(counts(await broker.attributes(name)).visible, "0");
      await broker.send(name, "after");
      const [after] = await broker.receive(name);
      assert.equal(after?.Body, "after");
      await broker.delete(name, after.ReceiptHandle!);
      // (Only its row is left: the body itself cannot be read back.)
      assert.equal(broker.onDisk<{ n: number }>("SELECT count(*) AS n FROM messages")?.n, 1);
    });

    it("DeleteQueue of a queue holding a damaged message goes on, and a later queue never takes that message in", async () => {
      // Given a queue (the newest, so its id is the highest) with a message on a damaged page
      const name = broker.uniqueName();
      await broker.createQueue(name);
      await broker.send(name, "m1:" + "1".repeat(5_000) + "GONE-1" + "z".repeat(15_000));
      await broker.stop();
      broker.damagePageHolding("GONE-1");
      await broker.start();

      // When the queue is deleted, and a new queue is created after a restart
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: await broker.urlOf(name) }));
      await broker.restart();
      const next = broker.uniqueName();
      await broker.createQueue(next);
      await broker.restart();

      // Then the new queue holds nothing of the deleted one's
      assert.equal(counts(await broker.attributes(next)).visible, "0");
      assert.deepEqual(await broker.receive(next), []);
    });

    it("a message past its retention period while the broker was down is gone", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { MessageRetentionPeriod: "60" });
      await broker.send(name, "old");
      broker.clock.advance(30 * SECOND);
      await broker.send(name, "young");

      await broker.restart(31 * SECOND);

      assert.deepEqual(bodies(await broker.receive(name)), ["young"]);
    });

    it("purged messages stay purged, messages sent after the purge stay, and the purge is remembered", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name, { VisibilityTimeout: "30" });
      for (const body of ["p1", "p2", "p3"]) await broker.send(name, body);
      await broker.receive(name, { MaxNumberOfMessages: 1 }); // one of them in flight
      await broker.sqs.send(new PurgeQueueCommand({ QueueUrl: await broker.urlOf(name) }));
      await broker.send(name, "after purge");
      broker.clock.advance(10 * SECOND);

      await broker.restart();

      assert.deepEqual(counts(await broker.attributes(name)), {
        visible: "1",
        inFlight: "0",
        delayed: "0",
      });
      broker.clock.advance(30 * SECOND);
      assert.deepEqual(bodies(await broker.receive(name)), ["after purge"]);
      // Still within 60 s of the purge (40 s): a second purge is refused.
      await assert.rejects(
        broker.sqs.send(new PurgeQueueCommand({ QueueUrl: await broker.urlOf(name) })),
        (error: Error) => error.name === "PurgeQueueInProgress",
      );
    });

    it("a message moved to the dead-letter queue is still there, with its source", async () => {
      const dlq = broker.uniqueName("dlq");
      const source = broker.uniqueName("src");
      await broker.createQueue(dlq);
      const dlqArn = (await broker.attributes(dlq, ["QueueArn"])).QueueArn!;
      const sourceArn = `${dlqArn.slice(0, dlqArn.lastIndexOf(":") + 1)}${source}`;
      await broker.createQueue(source, {
        VisibilityTimeout: "5",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
      });
      const sent = await broker.send(source, "poison");
      assert.equal((await broker.receive(source)).length, 1);
      broker.clock.advance(6 * SECOND);
      assert.deepEqual(await broker.receive(source), [], "moved on the second receive");

      await broker.restart();

      assert.deepEqual(await broker.receive(source), []);
      const [dead] = await broker.receive(dlq);
      assert.equal(dead?.MessageId, sent.MessageId);
      assert.equal(dead?.Body, "poison");
      assert.equal(dead?.Attributes?.DeadLetterQueueSourceArn, sourceArn);
    });

    it("a receipt handle from a queue deleted before the restart does not touch a queue created after it", async () => {
      const keep = broker.uniqueName("keep");
      const old = broker.uniqueName("old");
      await broker.createQueue(keep);
      await broker.send(keep, "keeps the broker busy");
      await broker.createQueue(old);
      await broker.send(old, "old message");
      const [stale] = await broker.receive(old);
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: await broker.urlOf(old) }));

      await broker.restart();

      const fresh = broker.uniqueName("fresh");
      await broker.createQueue(fresh);
      await broker.send(fresh, "fresh message");
      // The stale handle is refused, or names nothing: either way the new message stays.
      await broker.delete(fresh, stale!.ReceiptHandle!).catch(() => undefined);
      assert.deepEqual(bodies(await broker.receive(fresh)), ["fresh message"]);
    });
  });

  describe("engine state", () => {
    it("a deleted queue's name stays taken for 60 s across a restart", async () => {
      const name = broker.uniqueName("reuse");
      await broker.createQueue(name);
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: await broker.urlOf(name) }));

      await broker.restart(10 * SECOND);

      await assert.rejects(broker.createQueue(name), (error: Error) => {
        assert.equal(error.name, "QueueDeletedRecently");
        return true;
      });
      broker.clock.advance(50 * SECOND);
      await broker.createQueue(name);
      assert.ok(await broker.urlOf(name));
    });

    it("a name whose 60 s ran out while the broker was down is free at once", async () => {
      const name = broker.uniqueName("reuse");
      await broker.createQueue(name);
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: await broker.urlOf(name) }));

      await broker.restart(61 * SECOND);

      await broker.createQueue(name);
      assert.ok(await broker.urlOf(name));
    });

    /** A dead-letter queue (of some source) holding `count` messages, and a destination queue. */
    async function deadLettersToMove(count: number) {
      const dlq = broker.uniqueName("dlq");
      const destination = broker.uniqueName("dest");
      await broker.createQueue(dlq);
      await broker.createQueue(destination);
      const dlqArn = (await broker.attributes(dlq, ["QueueArn"])).QueueArn!;
      const destinationArn = (await broker.attributes(destination, ["QueueArn"])).QueueArn!;
      await broker.createQueue(broker.uniqueName("src"), {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
      });
      for (let i = 0; i < count; i++) await broker.send(dlq, `dead ${i}`);
      return { dlq, dlqArn, destination, destinationArn };
    }

    async function startMoveTask(SourceArn: string, DestinationArn: string, rate?: number) {
      const { TaskHandle } = await broker.sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn,
          DestinationArn,
          MaxNumberOfMessagesPerSecond: rate,
        }),
      );
      return TaskHandle!;
    }

    it("a running message move task is still listed after a restart and carries on", async () => {
      // Given a dead-letter queue holding 6 messages and a task moving them at 1 a second
      const { dlq, dlqArn, destination, destinationArn } = await deadLettersToMove(6);
      const handle = await startMoveTask(dlqArn, destinationArn, 1);
      broker.clock.advance(2 * SECOND);
      const [before] = await listMoveTasks(dlqArn);
      assert.equal(before?.Status, "RUNNING");
      const movedBefore = before!.ApproximateNumberOfMessagesMoved!;
      assert.ok(movedBefore >= 1 && movedBefore < 6, `moved ${movedBefore} before the restart`);

      // When the broker restarts
      await broker.restart();

      // Then the same task is listed, still running, with what it had moved
      const [after] = await listMoveTasks(dlqArn);
      assert.equal(after?.TaskHandle, handle);
      assert.equal(after?.Status, "RUNNING");
      assert.equal(after?.ApproximateNumberOfMessagesMoved, movedBefore);
      assert.equal(after?.ApproximateNumberOfMessagesToMove, 6);
      assert.equal(after?.MaxNumberOfMessagesPerSecond, 1);
      // And it finishes the move: every message once, in the destination
      for (let i = 0; i < 10; i++) broker.clock.advance(1 * SECOND);
      const [done] = await listMoveTasks(dlqArn);
      assert.equal(done?.Status, "COMPLETED");
      assert.equal(done?.ApproximateNumberOfMessagesMoved, 6);
      const moved = bodies(await broker.receive(destination)).sort();
      assert.deepEqual(moved, ["dead 0", "dead 1", "dead 2", "dead 3", "dead 4", "dead 5"]);
      assert.deepEqual(await broker.receive(dlq), []);
    });

    it("finished and cancelled move tasks are still listed after a restart", async () => {
      // Given a task cancelled at once, then one that moved all 3 messages
      const { dlqArn, destinationArn } = await deadLettersToMove(3);
      const TaskHandle = await startMoveTask(dlqArn, destinationArn, 1);
      await broker.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
      await startMoveTask(dlqArn, destinationArn);
      broker.clock.advance(1 * SECOND);

      await broker.restart();

      // Then both are listed, newest first, as they ended
      const tasks = await listMoveTasks(dlqArn, 10);
      assert.deepEqual(
        tasks.map((task) => task.Status),
        ["COMPLETED", "CANCELLED"],
      );
      assert.equal(tasks[0]?.ApproximateNumberOfMessagesMoved, 3);
    });
  });

  describe("FIFO queues", () => {
    it("deduplication ids are remembered for five minutes across the restart", async () => {
      const explicit = broker.uniqueName("dedup", true);
      const byContent = broker.uniqueName("content", true);
      await broker.createQueue(explicit, { FifoQueue: "true" });
      await broker.createQueue(byContent, { FifoQueue: "true", ContentBasedDeduplication: "true" });
      const first = await broker.send(explicit, "one", {
        MessageGroupId: "g",
        MessageDeduplicationId: "d1",
      });
      const content = await broker.send(byContent, "same body", { MessageGroupId: "g" });
      // A deduplication id outlives its message: deleted, it still blocks a resend.
      const consumed = await broker.send(explicit, "two", {
        MessageGroupId: "h",
        MessageDeduplicationId: "d2",
      });
      const received = await broker.receive(explicit);
      await broker.delete(explicit, received.find((m) => m.Body === "two")!.ReceiptHandle!);
      await broker.restart();
      // Put "one" back: the receive above left it in flight.
      broker.clock.advance(31 * SECOND);

      // Resends within five minutes of the first send are dropped, with the original's id
      const again = await broker.send(explicit, "one, resent", {
        MessageGroupId: "g",
        MessageDeduplicationId: "d1",
      });
      assert.equal(again.MessageId, first.MessageId);
      assert.equal(again.SequenceNumber, first.SequenceNumber);
      const contentAgain = await broker.send(byContent, "same body", { MessageGroupId: "g" });
      assert.equal(contentAgain.MessageId, content.MessageId);
      const consumedAgain = await broker.send(explicit, "two, resent", {
        MessageGroupId: "h",
        MessageDeduplicationId: "d2",
      });
      assert.equal(consumedAgain.MessageId, consumed.MessageId);
      assert.deepEqual(bodies(await broker.receive(explicit)), ["one"]);
      assert.deepEqual(bodies(await broker.receive(byContent)), ["same body"]);

      // And after the five minutes the same id is a new message
      broker.clock.advance(5 * MINUTE);
      const later = await broker.send(explicit, "one, much later", {
        MessageGroupId: "g",
        MessageDeduplicationId: "d1",
      });
      assert.notEqual(later.MessageId, first.MessageId);
    });

    it("a receive retried with its ReceiveRequestAttemptId after a restart gets the same messages", async () => {
      const name = broker.uniqueName("attempt", true);
      await broker.createQueue(name, { FifoQueue: "true", ContentBasedDeduplication: "true" });
      for (const body of ["a1", "a2"]) await broker.send(name, body, { MessageGroupId: "a" });
      await broker.send(name, "b1", { MessageGroupId: "b" });
      // The first answer is lost (say, the broker went down as it answered):
      const first = await broker.receive(name, {
        MaxNumberOfMessages: 2,
        ReceiveRequestAttemptId: "attempt-1",
      });
      assert.deepEqual(bodies(first), ["a1", "a2"]);
      await broker.restart();

      // The retry with the same attempt id gets those messages and handles again
      const retried = await broker.receive(name, {
        MaxNumberOfMessages: 2,
        ReceiveRequestAttemptId: "attempt-1",
      });
      assert.deepEqual(
        retried.map((m) => [m.MessageId, m.ReceiptHandle]),
        first.map((m) => [m.MessageId, m.ReceiptHandle]),
      );
      // A new attempt id is a new receive: group a is locked, b is next
      assert.deepEqual(
        bodies(await broker.receive(name, { ReceiveRequestAttemptId: "attempt-2" })),
        ["b1"],
      );
      const attemptsOnDisk = () =>
        broker.onDisk<{ n: number }>(
          "SELECT count(*) AS n FROM engine_records WHERE kind = 'receive-attempt'",
        )?.n;
      assert.equal(attemptsOnDisk(), 2);

      // Five minutes on, the attempt ids are forgotten, on disk too
      broker.clock.advance(5 * MINUTE + SECOND);
      await broker.restart();
      // The restore's deletes commit at the end of the broker's first turn.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(attemptsOnDisk(), 0);
      const fresh = await broker.receive(name, { ReceiveRequestAttemptId: "attempt-1" });
      assert.deepEqual(
        bodies(fresh).sort(),
        ["a1", "a2", "b1"],
        "all visible again, received anew",
      );
      assert.notDeepEqual(
        fresh.filter((m) => m.Body !== "b1").map((m) => m.ReceiptHandle),
        first.map((m) => m.ReceiptHandle),
      );
    });

    it("a retried ReceiveRequestAttemptId keeps its renewed visibility, and stays refused once changed, across a restart", async () => {
      const name = broker.uniqueName("attempt-changed", true);
      await broker.createQueue(name, { FifoQueue: "true", ContentBasedDeduplication: "true" });
      await broker.send(name, "a1", { MessageGroupId: "a" });
      await broker.send(name, "b1", { MessageGroupId: "b" });
      const first = await broker.receive(name, { ReceiveRequestAttemptId: "attempt-1" });
      // A retry restarts the messages' visibility timeout: a change of the attempt's own
      broker.clock.advance(10 * SECOND);
      await broker.receive(name, { ReceiveRequestAttemptId: "attempt-1" });
      await broker.restart();
      const retried = await broker.receive(name, { ReceiveRequestAttemptId: "attempt-1" });
      assert.deepEqual(
        retried.map((m) => m.ReceiptHandle),
        first.map((m) => m.ReceiptHandle),
      );

      // Once a message of the attempt is deleted, its retries are refused, after a restart too
      await broker.delete(name, first[0]!.ReceiptHandle!);
      await broker.restart();
      await assert.rejects(broker.receive(name, { ReceiveRequestAttemptId: "attempt-1" }), {
        message:
          "Value attempt-1 for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.",
      });
    });

    it("a changed DelaySeconds applies to the messages already in the queue, after a restart too", async () => {
      // Given a FIFO queue delaying by 600 s, with two messages
      const name = broker.uniqueName("delay", true);
      await broker.createQueue(name, {
        FifoQueue: "true",
        ContentBasedDeduplication: "true",
        DelaySeconds: "600",
      });
      await broker.send(name, "lowered", { MessageGroupId: "a" });
      const setDelay = async (DelaySeconds: string) =>
        broker.sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: await broker.urlOf(name),
            Attributes: { DelaySeconds },
          }),
        );

      // When its delay is lowered to 0 (retroactive on FIFO queues), then the broker restarts
      await setDelay("0");
      await broker.restart();

      // Then the message can be received at once
      assert.deepEqual(bodies(await broker.receive(name, { VisibilityTimeout: 900 })), ["lowered"]);

      // And a message delayed again by a raised delay stays delayed after a restart
      await broker.send(name, "raised", { MessageGroupId: "b" });
      await setDelay("60");
      await broker.restart();
      assert.deepEqual(bodies(await broker.receive(name)), []);
      assert.equal((await broker.attributes(name)).ApproximateNumberOfMessagesDelayed, "1");
      broker.clock.advance(MINUTE);
      assert.deepEqual(bodies(await broker.receive(name)), ["raised"]);
    });

    it("order within each group, group locking and sequence numbers survive", async () => {
      const name = broker.uniqueName("order", true);
      await broker.createQueue(name, { FifoQueue: "true", VisibilityTimeout: "30" });
      // Given two groups of five, sent interleaved
      const sequence = new Map<string, string>();
      for (let i = 1; i <= 5; i++) {
        for (const group of ["A", "B"]) {
          const body = `${group}${i}`;
          const sent = await broker.send(name, body, {
            MessageGroupId: group,
            MessageDeduplicationId: body,
          });
          sequence.set(body, sent.SequenceNumber!);
        }
      }
      // ...and the head of group A in flight
      const [a1] = await broker.receive(name, { MaxNumberOfMessages: 1 });
      assert.equal(a1?.Body, "A1");

      await broker.restart();

      // Then group A stays locked behind its in-flight head; B comes in order
      const firstBatch = await broker.receive(name, { VisibilityTimeout: 0 });
      assert.deepEqual(bodies(firstBatch), ["B1", "B2", "B3", "B4", "B5"]);
      for (const m of firstBatch) assert.equal(m.Attributes?.SequenceNumber, sequence.get(m.Body!));
      // When A1's visibility timeout passes, all of A comes in order, A1 first
      broker.clock.advance(30 * SECOND);
      const secondBatch = await broker.receive(name);
      const groupA = secondBatch.filter((m) => m.Attributes?.MessageGroupId === "A");
      assert.deepEqual(bodies(groupA), ["A1", "A2", "A3", "A4", "A5"]);
      assert.equal(groupA[0]!.Attributes?.ApproximateReceiveCount, "2");
      for (const m of groupA) assert.equal(m.Attributes?.SequenceNumber, sequence.get(m.Body!));

      // And a message sent after the restart is numbered after all of them
      const next = await broker.send(name, "A6", {
        MessageGroupId: "A",
        MessageDeduplicationId: "A6",
      });
      const highest = [...sequence.values()].reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
      assert.ok(
        BigInt(next.SequenceNumber!) > BigInt(highest),
        `${next.SequenceNumber} > ${highest}`,
      );
    });

    it("sequence numbers keep growing after a restart even when the queue was drained", async () => {
      const name = broker.uniqueName("seq", true);
      await broker.createQueue(name, { FifoQueue: "true" });
      const before = await broker.send(name, "before", {
        MessageGroupId: "g",
        MessageDeduplicationId: "b",
      });
      const [message] = await broker.receive(name);
      await broker.delete(name, message!.ReceiptHandle!);
      // Past the deduplication window: nothing of the old message is left to remember.
      broker.clock.advance(6 * MINUTE);

      await broker.restart();

      const after = await broker.send(name, "after", {
        MessageGroupId: "g",
        MessageDeduplicationId: "a",
      });
      assert.ok(
        BigInt(after.SequenceNumber!) > BigInt(before.SequenceNumber!),
        `SequenceNumber ${after.SequenceNumber} after the restart should exceed ${before.SequenceNumber}`,
      );
    });
  });

  describe("answers only after the write is committed", () => {
    it("send, visibility change and delete are on disk when answered", async () => {
      const name = broker.uniqueName();
      await broker.createQueue(name);
      const sent = await broker.send(name, "on disk");
      assert.ok(
        broker.onDisk("SELECT 1 AS present FROM messages WHERE message_id = ?", sent.MessageId),
        "send committed",
      );

      const [message] = await broker.receive(name, { VisibilityTimeout: 5 });
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await broker.urlOf(name),
          ReceiptHandle: message!.ReceiptHandle!,
          VisibilityTimeout: 600,
        }),
      );
      const row = broker.onDisk<{ visible_at: number }>(
        "SELECT visible_at FROM messages WHERE message_id = ?",
        sent.MessageId,
      );
      assert.equal(
        row?.visible_at,
        broker.clock.now() + 600 * SECOND,
        "visibility change committed",
      );

      await broker.delete(name, message!.ReceiptHandle!);
      assert.equal(
        broker.onDisk("SELECT 1 FROM messages WHERE message_id = ?", sent.MessageId),
        undefined,
        "delete committed",
      );
    });
  });
});
