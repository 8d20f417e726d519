import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import type { QueueAttributeName, SQSServiceException } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { QUEUE_DOES_NOT_EXIST_MESSAGE } from "../../support/sqs-errors.ts";

const ACCOUNT = "000000000000";
const SSE_CONFLICT =
  "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";

/** Expects an SDK call to fail with this error name, status and (when given) message. */
async function expectError(
  call: Promise<unknown>,
  expected: { name: string; message?: string | RegExp; status?: number },
): Promise<SQSServiceException> {
  let caught: SQSServiceException | undefined;
  try {
    await call;
  } catch (error) {
    caught = error as SQSServiceException;
  }
  assert.ok(caught, `expected ${expected.name}, but the call succeeded`);
  assert.equal(caught.name, expected.name, `error name (message: ${caught.message})`);
  if (typeof expected.message === "string") assert.equal(caught.message, expected.message);
  else if (expected.message) assert.match(caught.message, expected.message);
  assert.equal(caught.$metadata.httpStatusCode, expected.status ?? 400);
  return caught;
}

/** RegExp matching a literal string at the start. */
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);

describe("queue attributes over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const get = async (QueueUrl: string, names: QueueAttributeName[] = ["All"]) =>
    (await broker.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names })))
      .Attributes ?? {};
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    broker.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));
  const arnOf = async (QueueUrl: string) => (await get(QueueUrl, ["QueueArn"])).QueueArn!;
  const nameOf = (QueueUrl: string) => QueueUrl.slice(QueueUrl.lastIndexOf("/") + 1);

  describe("GetQueueAttributes", () => {
    it("reports exactly the 12 default attributes of a fresh standard queue", async () => {
      const QueueUrl = await broker.createQueue();
      const nowSeconds = String(Math.floor(broker.clock.now() / 1000));
      assert.deepEqual(await get(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesDelayed: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        CreatedTimestamp: nowSeconds,
        DelaySeconds: "0",
        LastModifiedTimestamp: nowSeconds,
        MaximumMessageSize: "1048576",
        MessageRetentionPeriod: "345600",
        QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${nameOf(QueueUrl)}`,
        ReceiveMessageWaitTimeSeconds: "0",
        SqsManagedSseEnabled: "true",
        VisibilityTimeout: "30",
      });
    });

    it("reports the 16 attributes of a fresh FIFO queue", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const nowSeconds = String(Math.floor(broker.clock.now() / 1000));
      assert.deepEqual(await get(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesDelayed: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ContentBasedDeduplication: "false",
        CreatedTimestamp: nowSeconds,
        DeduplicationScope: "queue",
        DelaySeconds: "0",
        FifoQueue: "true",
        FifoThroughputLimit: "perQueue",
        LastModifiedTimestamp: nowSeconds,
        MaximumMessageSize: "1048576",
        MessageRetentionPeriod: "345600",
        QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${nameOf(QueueUrl)}`,
        ReceiveMessageWaitTimeSeconds: "0",
        SqsManagedSseEnabled: "true",
        VisibilityTimeout: "30",
      });
    });

    it("reports attributes given on create", async () => {
      const QueueUrl = await broker.createFifoQueue({
        ContentBasedDeduplication: "true",
        VisibilityTimeout: "60",
      });
      const attributes = await get(QueueUrl);
      assert.equal(attributes.ContentBasedDeduplication, "true");
      assert.equal(attributes.VisibilityTimeout, "60");
    });

    it("returns only the names asked for", async () => {
      const QueueUrl = await broker.createQueue({ DelaySeconds: "3" });
      const attributes = await get(QueueUrl, ["DelaySeconds", "QueueArn", "VisibilityTimeout"]);
      assert.deepEqual(Object.keys(attributes).sort(), [
        "DelaySeconds",
        "QueueArn",
        "VisibilityTimeout",
      ]);
      assert.equal(attributes.DelaySeconds, "3");
      assert.equal(attributes.VisibilityTimeout, "30");
    });

    it("leaves out FIFO-only names asked of a standard queue, and unset policies", async () => {
      const QueueUrl = await broker.createQueue();
      const attributes = await get(QueueUrl, [
        "FifoQueue",
        "ContentBasedDeduplication",
        "Policy",
        "RedrivePolicy",
        "KmsMasterKeyId",
        "VisibilityTimeout",
      ]);
      assert.deepEqual(attributes, { VisibilityTimeout: "30" });
    });

    it("refuses an unknown name with InvalidAttributeName", async () => {
      const QueueUrl = await broker.createQueue();
      await expectError(get(QueueUrl, ["Foobar" as QueueAttributeName]), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute Foobar.",
      });
      await expectError(get(QueueUrl, ["VisibilityTimeout", "Foobar" as QueueAttributeName]), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute Foobar.",
      });
    });

    it("answers QueueDoesNotExist for a deleted queue", async () => {
      const QueueUrl = await broker.createQueue();
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await expectError(get(QueueUrl), {
        name: "QueueDoesNotExist",
        message: QUEUE_DOES_NOT_EXIST_MESSAGE,
      });
    });
  });

  describe("approximate counts", () => {
    it("move between visible, not visible and delayed as the clock advances", async () => {
      // Given two messages and a third delayed by 10 s
      const QueueUrl = await broker.createQueue();
      const counts = async () => {
        const a = await get(QueueUrl, [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ]);
        return [
          a.ApproximateNumberOfMessages,
          a.ApproximateNumberOfMessagesNotVisible,
          a.ApproximateNumberOfMessagesDelayed,
        ].map(Number);
      };
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a" }));
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "b" }));
      await broker.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: "c", DelaySeconds: 10 }),
      );
      assert.deepEqual(await counts(), [2, 0, 1]);

      // When one is received with a 20 s visibility timeout
      const { Messages = [] } = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 20 }),
      );
      assert.equal(Messages.length, 1);
      assert.deepEqual(await counts(), [1, 1, 1]);

      // Then the delayed one becomes visible after 10 s
      broker.clock.advance(9_999);
      assert.deepEqual(await counts(), [1, 1, 1]);
      broker.clock.advance(1);
      assert.deepEqual(await counts(), [2, 1, 0]);

      // And the received one comes back after 20 s
      broker.clock.advance(10_000);
      assert.deepEqual(await counts(), [3, 0, 0]);

      // And a delete and a visibility change move the counts too
      const again = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 30 }),
      );
      assert.equal(again.Messages?.length, 2);
      assert.deepEqual(await counts(), [1, 2, 0]);
      await broker.sqs.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle }),
      );
      await broker.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: again.Messages![1]!.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      assert.deepEqual(await counts(), [2, 0, 0]);
    });

    it("counts queue-level DelaySeconds as delayed", async () => {
      const QueueUrl = await broker.createQueue({ DelaySeconds: "5" });
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later" }));
      const before = await get(QueueUrl);
      assert.equal(before.ApproximateNumberOfMessagesDelayed, "1");
      assert.equal(before.ApproximateNumberOfMessages, "0");
      broker.clock.advance(5_000);
      const afterDelay = await get(QueueUrl);
      assert.equal(afterDelay.ApproximateNumberOfMessagesDelayed, "0");
      assert.equal(afterDelay.ApproximateNumberOfMessages, "1");
    });
  });

  describe("SetQueueAttributes", () => {
    const bounds: Array<[string, number, number]> = [
      ["DelaySeconds", 0, 900],
      ["MaximumMessageSize", 1024, 1_048_576],
      ["MessageRetentionPeriod", 60, 1_209_600],
      ["ReceiveMessageWaitTimeSeconds", 0, 20],
      ["VisibilityTimeout", 0, 43_200],
      ["KmsDataKeyReusePeriodSeconds", 60, 86_400],
    ];
    for (const [name, min, max] of bounds) {
      it(`accepts ${name} from ${min} to ${max} and refuses values outside`, async () => {
        const QueueUrl = await broker.createQueue();
        // The KMS reuse period goes with a KMS key.
        const extra: Record<string, string> =
          name === "KmsDataKeyReusePeriodSeconds" ? { KmsMasterKeyId: "alias/aws/sqs" } : {};
        for (const value of [min, max]) {
          await set(QueueUrl, { ...extra, [name]: String(value) });
          assert.equal(
            (await get(QueueUrl))[name as QueueAttributeName],
            String(value),
            `${name}=${value} read back`,
          );
        }
        for (const value of [String(min - 1), String(max + 1), "ten", "1.5", ""]) {
          // Only VisibilityTimeout's text is recorded against AWS; the others follow its shape.
          const message =
            name === "VisibilityTimeout"
              ? "Invalid value for the parameter VisibilityTimeout."
              : new RegExp(`parameter ${name}`);
          await expectError(set(QueueUrl, { [name]: value }), {
            name: "InvalidAttributeValue",
            message,
          });
        }
        assert.equal(
          (await get(QueueUrl))[name as QueueAttributeName],
          String(max),
          "refused values change nothing",
        );
      });
    }

    it("refuses out-of-range values on CreateQueue too", async () => {
      await expectError(
        broker.sqs.send(
          new CreateQueueCommand({
            QueueName: broker.uniqueName("range"),
            Attributes: { VisibilityTimeout: "-1" },
          }),
        ),
        {
          name: "InvalidAttributeValue",
          message: "Invalid value for the parameter VisibilityTimeout.",
        },
      );
      await expectError(
        broker.sqs.send(
          new CreateQueueCommand({
            QueueName: broker.uniqueName("range"),
            Attributes: { MessageRetentionPeriod: "59" },
          }),
        ),
        { name: "InvalidAttributeValue", message: /MessageRetentionPeriod/ },
      );
    });

    it("applies several attributes at once, and none when one is invalid", async () => {
      const QueueUrl = await broker.createQueue();
      await set(QueueUrl, { DelaySeconds: "10", VisibilityTimeout: "60" });
      await expectError(set(QueueUrl, { DelaySeconds: "20", VisibilityTimeout: "99999" }), {
        name: "InvalidAttributeValue",
      });
      const attributes = await get(QueueUrl);
      assert.equal(attributes.DelaySeconds, "10");
      assert.equal(attributes.VisibilityTimeout, "60");
    });

    it("refuses unknown and computed attribute names", async () => {
      const QueueUrl = await broker.createQueue();
      await expectError(set(QueueUrl, { Foobar: "1" }), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute Foobar.",
      });
      await expectError(set(QueueUrl, { QueueArn: "arn:aws:sqs:us-east-1:1:x" }), {
        name: "InvalidAttributeName",
      });
      await expectError(set(QueueUrl, { ApproximateNumberOfMessages: "5" }), {
        name: "InvalidAttributeName",
      });
    });

    it("refuses FifoQueue on a standard queue, whatever the value", async () => {
      const QueueUrl = await broker.createQueue();
      for (const value of ["true", "false"]) {
        await expectError(set(QueueUrl, { FifoQueue: value }), {
          name: "InvalidAttributeName",
          message: "Unknown Attribute FifoQueue.",
        });
      }
    });

    it("accepts FifoQueue=true on a FIFO queue", async () => {
      const QueueUrl = await broker.createFifoQueue();
      const result = await set(QueueUrl, { FifoQueue: "true" });
      assert.equal(result.$metadata.httpStatusCode, 200);
      assert.equal((await get(QueueUrl)).FifoQueue, "true");
    });

    it("refuses FifoQueue=false on a FIFO queue", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await expectError(set(QueueUrl, { FifoQueue: "false" }), {
        name: "InvalidAttributeValue",
        message:
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
      });
      assert.equal((await get(QueueUrl)).FifoQueue, "true");
    });

    it("refuses FIFO-only attributes on a standard queue", async () => {
      const QueueUrl = await broker.createQueue();
      await expectError(set(QueueUrl, { ContentBasedDeduplication: "true" }), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute ContentBasedDeduplication.",
      });
      await expectError(set(QueueUrl, { DeduplicationScope: "messageGroup" }), {
        name: "InvalidAttributeName",
      });
      await expectError(set(QueueUrl, { FifoThroughputLimit: "perMessageGroupId" }), {
        name: "InvalidAttributeName",
      });
    });

    it("changes the FIFO throughput attributes of a FIFO queue", async () => {
      const QueueUrl = await broker.createFifoQueue();
      await set(QueueUrl, {
        ContentBasedDeduplication: "true",
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });
      const attributes = await get(QueueUrl);
      assert.equal(attributes.ContentBasedDeduplication, "true");
      assert.equal(attributes.DeduplicationScope, "messageGroup");
      assert.equal(attributes.FifoThroughputLimit, "perMessageGroupId");
    });

    it("allows perMessageGroupId only with messageGroup scope, at create as at set", async () => {
      const THROUGHPUT_RULE = {
        name: "InvalidAttributeValue",
        message:
          "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup",
      };
      // The default scope is queue: a create that leaves it out is refused
      // too, or the queue would refuse every later SetQueueAttributes.
      await expectError(
        broker.sqs.send(
          new CreateQueueCommand({
            QueueName: broker.uniqueName("throughput") + ".fifo",
            Attributes: { FifoQueue: "true", FifoThroughputLimit: "perMessageGroupId" },
          }),
        ),
        THROUGHPUT_RULE,
      );
      const QueueUrl = await broker.createFifoQueue({
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });
      await set(QueueUrl, { VisibilityTimeout: "10" });
      await expectError(set(QueueUrl, { DeduplicationScope: "queue" }), THROUGHPUT_RULE);
      assert.equal((await get(QueueUrl)).DeduplicationScope, "messageGroup");
    });

    it("takes names such as toString or constructor for unknown attributes, not Object's own", async () => {
      const QueueUrl = await broker.createQueue();
      for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
        await expectError(set(QueueUrl, { [name]: "1" }), {
          name: "InvalidAttributeName",
          message: `Unknown Attribute ${name}.`,
        });
        await expectError(
          broker.sqs.send(
            new CreateQueueCommand({
              QueueName: broker.uniqueName("odd-attribute"),
              Attributes: { [name]: "1" },
            }),
          ),
          { name: "InvalidAttributeName", message: `Unknown Attribute ${name}.` },
        );
      }
    });

    it("a refused RedriveAllowPolicy changes nothing, at create or at set", async () => {
      // byQueue names no queue: refused when the settings are read
      const badAllow = JSON.stringify({ redrivePermission: "byQueue" });
      const QueueName = broker.uniqueName("bad-allow");
      await expectError(
        broker.sqs.send(
          new CreateQueueCommand({ QueueName, Attributes: { RedriveAllowPolicy: badAllow } }),
        ),
        { name: "InvalidParameterValue" },
      );
      await expectError(broker.sqs.send(new GetQueueUrlCommand({ QueueName })), {
        name: "QueueDoesNotExist",
      });
      const QueueUrl = await broker.createQueue();
      await expectError(set(QueueUrl, { VisibilityTimeout: "120", RedriveAllowPolicy: badAllow }), {
        name: "InvalidParameterValue",
      });
      const after = await get(QueueUrl);
      assert.equal(after.VisibilityTimeout, "30");
      assert.equal(after.RedriveAllowPolicy, undefined);
      await set(QueueUrl, { VisibilityTimeout: "10" });
      assert.equal((await get(QueueUrl)).VisibilityTimeout, "10");
    });

    it("takes a queue as its own dead-letter queue, which then keeps its messages", async () => {
      // As AWS does (LocalStack's AWS-validated test_set_empty_redrive_policy)
      const QueueUrl = await broker.createQueue();
      const { QueueArn } = await get(QueueUrl, ["QueueArn"]);
      await set(QueueUrl, {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: QueueArn, maxReceiveCount: 1 }),
      });
      assert.match((await get(QueueUrl, ["RedrivePolicy"])).RedrivePolicy!, /maxReceiveCount":1/);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "stays" }));
      for (const expectedCount of ["1", "2", "3"]) {
        const { Messages } = await broker.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            VisibilityTimeout: 0,
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
        );
        assert.equal(Messages?.[0]?.Body, "stays");
        assert.equal(Messages[0].Attributes?.ApproximateReceiveCount, expectedCount);
      }
    });

    it("takes a Policy that is a JSON object only, and adds permissions beside odd statements", async () => {
      const QueueUrl = await broker.createQueue();
      for (const Policy of ["5", '"x"', "[1]", "null"]) {
        await expectError(set(QueueUrl, { Policy }), { name: "InvalidAttributeValue" });
      }
      await set(QueueUrl, { Policy: JSON.stringify({ Statement: [null] }) });
      await broker.sqs.send(
        new AddPermissionCommand({
          QueueUrl,
          Label: "L",
          AWSAccountIds: ["123456789012"],
          Actions: ["SendMessage"],
        }),
      );
      const policy = JSON.parse((await get(QueueUrl, ["Policy"])).Policy!) as {
        Statement: { Sid: string }[];
      };
      assert.deepEqual(
        policy.Statement.map((statement) => statement.Sid),
        ["L"],
      );
      await broker.sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "L" }));
    });

    it("moves LastModifiedTimestamp, not CreatedTimestamp", async () => {
      // Given a queue created now
      const QueueUrl = await broker.createQueue();
      const created = await get(QueueUrl, ["CreatedTimestamp", "LastModifiedTimestamp"]);
      assert.equal(created.LastModifiedTimestamp, created.CreatedTimestamp);

      // When an attribute changes 120 s later
      broker.clock.advance(120_000);
      await set(QueueUrl, { VisibilityTimeout: "45" });

      // Then only LastModifiedTimestamp moves, by 120 s
      const changed = await get(QueueUrl, ["CreatedTimestamp", "LastModifiedTimestamp"]);
      assert.equal(changed.CreatedTimestamp, created.CreatedTimestamp);
      assert.equal(Number(changed.LastModifiedTimestamp) - Number(created.CreatedTimestamp), 120);
      assert.equal(changed.LastModifiedTimestamp, String(Math.floor(broker.clock.now() / 1000)));
    });

    describe("server-side encryption", () => {
      it("refuses a KMS key together with SqsManagedSseEnabled=true", async () => {
        const QueueUrl = await broker.createQueue();
        await expectError(
          set(QueueUrl, { KmsMasterKeyId: "alias/aws/sqs", SqsManagedSseEnabled: "true" }),
          { name: "InvalidAttributeName", message: SSE_CONFLICT },
        );
        await expectError(
          broker.sqs.send(
            new CreateQueueCommand({
              QueueName: broker.uniqueName("sse"),
              Attributes: { KmsMasterKeyId: "alias/aws/sqs", SqsManagedSseEnabled: "true" },
            }),
          ),
          { name: "InvalidAttributeName", message: SSE_CONFLICT },
        );
      });

      it("turns SQS-managed SSE off when a KMS key is set, and drops the key on ''", async () => {
        // Given a queue switched to KMS
        const QueueUrl = await broker.createQueue();
        await set(QueueUrl, {
          KmsMasterKeyId: "alias/aws/sqs",
          KmsDataKeyReusePeriodSeconds: "6000",
        });
        const kms = await get(QueueUrl);
        assert.equal(kms.KmsMasterKeyId, "alias/aws/sqs");
        assert.equal(kms.KmsDataKeyReusePeriodSeconds, "6000");
        assert.equal(kms.SqsManagedSseEnabled, "false");

        // When the key is cleared
        await set(QueueUrl, { KmsMasterKeyId: "", KmsDataKeyReusePeriodSeconds: "300" });

        // Then both KMS attributes are gone and SQS-managed SSE stays off
        const cleared = await get(QueueUrl);
        assert.equal(cleared.KmsMasterKeyId, undefined);
        assert.equal(cleared.KmsDataKeyReusePeriodSeconds, undefined);
        assert.equal(cleared.SqsManagedSseEnabled, "false");
      });

      it("switches from KMS to SQS-managed SSE in one request, as Terraform sends it", async () => {
        // As the provider's own acceptance test (TestAccSQSQueue_encryption) does against AWS
        const QueueUrl = await broker.createQueue({ KmsMasterKeyId: "alias/aws/sqs" });
        await set(QueueUrl, { KmsMasterKeyId: "", SqsManagedSseEnabled: "true" });
        const switched = await get(QueueUrl);
        assert.equal(switched.KmsMasterKeyId, undefined);
        assert.equal(switched.SqsManagedSseEnabled, "true");

        const created = await broker.createQueue({
          KmsMasterKeyId: "",
          SqsManagedSseEnabled: "true",
        });
        assert.equal((await get(created)).SqsManagedSseEnabled, "true");
      });
    });

    describe("RedrivePolicy", () => {
      it("stores the policy with maxReceiveCount as a JSON number", async () => {
        const dlq = await broker.createQueue({}, "dlq");
        const dlqArn = await arnOf(dlq);
        const source = await broker.createQueue();
        await set(source, {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }),
        });
        const { RedrivePolicy } = await get(source, ["RedrivePolicy"]);
        assert.equal(typeof RedrivePolicy, "string");
        assert.deepEqual(JSON.parse(RedrivePolicy!), {
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: 10,
        });
      });

      it("accepts maxReceiveCount given as a string", async () => {
        // Whether AWS echoes it as a number or a string is not established; the value is.
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const source = await broker.createQueue();
        await set(source, {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "42" }),
        });
        const parsed = JSON.parse((await get(source)).RedrivePolicy!) as Record<string, unknown>;
        assert.equal(parsed.deadLetterTargetArn, dlqArn);
        assert.equal(Number(parsed.maxReceiveCount), 42);
      });

      it("refuses a maxReceiveCount string that is not digits, as SQS's integer parser does", async () => {
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const source = await broker.createQueue();
        for (const count of ["1e1", "0x10", " 5", "", "invalid"]) {
          const raw = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: count });
          await expectError(set(source, { RedrivePolicy: raw }), {
            name: "InvalidParameterValue",
            message:
              `Value ${raw} for parameter RedrivePolicy is invalid. Reason: Invalid value for ` +
              `maxReceiveCount: ${count}, valid values are from 1 to 1000 both inclusive.`,
          });
        }
        assert.equal((await get(source)).RedrivePolicy, undefined);
      });

      it("is accepted on CreateQueue", async () => {
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
        const source = await broker.createQueue({ RedrivePolicy: policy });
        assert.deepEqual(JSON.parse((await get(source)).RedrivePolicy!), {
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: 3,
        });
      });

      it("is removed by an empty string", async () => {
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const source = await broker.createQueue({
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
        });
        const removed = await set(source, { RedrivePolicy: "" });
        assert.equal(removed.$metadata.httpStatusCode, 200);
        const attributes = await get(source);
        assert.equal(attributes.RedrivePolicy, undefined);
        assert.equal("RedrivePolicy" in attributes, false);
      });

      it("refuses a target that is not an ARN, echoing the raw policy", async () => {
        const source = await broker.createQueue();
        const raw = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
        await expectError(set(source, { RedrivePolicy: raw }), {
          name: "InvalidParameterValue",
          message: `Value ${raw} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`,
        });
        assert.equal((await get(source)).RedrivePolicy, undefined);
      });

      it("refuses a dead-letter queue that does not exist", async () => {
        const source = await broker.createQueue();
        const raw = JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${broker.uniqueName("ghost")}`,
          maxReceiveCount: 5,
        });
        // The reason text is not recorded against AWS; the prefix and code follow the ARN case.
        await expectError(set(source, { RedrivePolicy: raw }), {
          name: "InvalidParameterValue",
          message: startsWith(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: `),
        });
      });

      it("refuses a dead-letter queue of the other type", async () => {
        const fifoArn = await arnOf(await broker.createFifoQueue({}, "dlq"));
        const standardArn = await arnOf(await broker.createQueue({}, "dlq"));
        const standard = await broker.createQueue();
        const fifo = await broker.createFifoQueue();
        const toFifo = JSON.stringify({ deadLetterTargetArn: fifoArn, maxReceiveCount: 5 });
        const toStandard = JSON.stringify({ deadLetterTargetArn: standardArn, maxReceiveCount: 5 });
        await expectError(set(standard, { RedrivePolicy: toFifo }), {
          name: "InvalidParameterValue",
          message: startsWith(`Value ${toFifo} for parameter RedrivePolicy is invalid. Reason: `),
        });
        await expectError(set(fifo, { RedrivePolicy: toStandard }), {
          name: "InvalidParameterValue",
          message: startsWith(
            `Value ${toStandard} for parameter RedrivePolicy is invalid. Reason: `,
          ),
        });
      });

      for (const count of [0, 1001]) {
        it(`refuses maxReceiveCount ${count}`, async () => {
          const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
          const source = await broker.createQueue();
          const raw = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: count });
          await expectError(set(source, { RedrivePolicy: raw }), {
            name: "InvalidParameterValue",
            message: /maxReceiveCount/,
          });
        });
      }

      it("accepts maxReceiveCount 1 and 1000", async () => {
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const source = await broker.createQueue();
        for (const count of [1, 1000]) {
          await set(source, {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: count }),
          });
          const parsed = JSON.parse((await get(source)).RedrivePolicy!) as {
            maxReceiveCount: number;
          };
          assert.equal(parsed.maxReceiveCount, count);
        }
      });

      it("refuses a policy that is not JSON or lacks a key", async () => {
        const dlqArn = await arnOf(await broker.createQueue({}, "dlq"));
        const source = await broker.createQueue();
        // AWS's codes for these are not recorded; a 400 naming RedrivePolicy is.
        for (const raw of [
          "not json",
          JSON.stringify({ deadLetterTargetArn: dlqArn }),
          JSON.stringify({ maxReceiveCount: 3 }),
        ]) {
          await assert.rejects(
            set(source, { RedrivePolicy: raw }),
            (error: SQSServiceException) => {
              assert.match(error.name, /^Invalid(ParameterValue|AttributeValue)$/, raw);
              assert.match(error.message, /RedrivePolicy/);
              assert.equal(error.$metadata.httpStatusCode, 400);
              return true;
            },
          );
        }
        assert.equal((await get(source)).RedrivePolicy, undefined);
      });

      it("lets a RedriveAllowPolicy of denyAll block every source", async () => {
        // Given a dead-letter queue that allows no source
        const dlq = await broker.createQueue(
          { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) },
          "dlq",
        );
        const dlqArn = await arnOf(dlq);
        const source = await broker.createQueue();

        // When a source names it
        const raw = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 });
        await expectError(set(source, { RedrivePolicy: raw }), {
          name: "InvalidParameterValue",
          message: startsWith(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: `),
        });

        // Then the source has no redrive policy, and the queue reports its allow policy
        assert.equal((await get(source)).RedrivePolicy, undefined);
        assert.deepEqual(JSON.parse((await get(dlq)).RedriveAllowPolicy!), {
          redrivePermission: "denyAll",
        });
      });

      it("lets a byQueue RedriveAllowPolicy admit only the listed sources", async () => {
        const allowed = await broker.createQueue();
        const other = await broker.createQueue();
        const dlq = await broker.createQueue(
          {
            RedriveAllowPolicy: JSON.stringify({
              redrivePermission: "byQueue",
              sourceQueueArns: [await arnOf(allowed)],
            }),
          },
          "dlq",
        );
        const raw = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 5 });
        await set(allowed, { RedrivePolicy: raw });
        await expectError(set(other, { RedrivePolicy: raw }), { name: "InvalidParameterValue" });
      });
    });
  });

  describe("ListDeadLetterSourceQueues", () => {
    it("lists the queues whose redrive policy names the queue", async () => {
      // Given two sources of one dead-letter queue, and an unrelated queue
      const dlq = await broker.createQueue({}, "dlq");
      const dlqArn = await arnOf(dlq);
      const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
      const first = await broker.createQueue({ RedrivePolicy: policy });
      const second = await broker.createQueue();
      await set(second, { RedrivePolicy: policy });
      await broker.createQueue();

      // When its sources are listed
      const listed = await broker.sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }),
      );

      // Then both come back under the lowercase `queueUrls` key
      assert.deepEqual([...(listed.queueUrls ?? [])].sort(), [first, second].sort());

      // And a source whose policy is removed drops out
      await set(first, { RedrivePolicy: "" });
      const after = await broker.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
      assert.deepEqual(after.queueUrls, [second]);
    });

    it("pages with MaxResults and NextToken", async () => {
      const dlq = await broker.createQueue({}, "dlq");
      const policy = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 3 });
      const sources: string[] = [];
      for (let i = 0; i < 3; i++) sources.push(await broker.createQueue({ RedrivePolicy: policy }));
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await broker.sqs.send(
          new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 2, NextToken }),
        );
        seen.push(...(page.queueUrls ?? []));
        NextToken = page.NextToken;
        pages++;
      } while (NextToken && pages < 5);
      assert.equal(pages, 2);
      assert.deepEqual(seen.sort(), sources.sort());
    });

    it("answers QueueDoesNotExist for an unknown queue", async () => {
      await expectError(
        broker.sqs.send(
          new ListDeadLetterSourceQueuesCommand({
            QueueUrl: `${broker.endpoint}/${ACCOUNT}/${broker.uniqueName("ghost")}`,
          }),
        ),
        { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE },
      );
    });
  });

  describe("tags", () => {
    const tagsOf = async (QueueUrl: string) =>
      await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));

    it("has no Tags key when a queue has no tags", async () => {
      const QueueUrl = await broker.createQueue();
      const listed = await tagsOf(QueueUrl);
      assert.equal(listed.$metadata.httpStatusCode, 200);
      assert.equal(listed.Tags, undefined);
    });

    it("merges TagQueue into the tags, overwriting equal keys, case-sensitively", async () => {
      // Given a queue created with tags
      const { QueueUrl } = await broker.sqs.send(
        new CreateQueueCommand({ QueueName: broker.uniqueName("tag"), tags: { a: "1", b: "2" } }),
      );

      // When more are added, one overwriting and one differing only in case
      await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { b: "two", B: "3", c: "" } }));

      // Then all are kept, merged
      assert.deepEqual((await tagsOf(QueueUrl!)).Tags, { a: "1", b: "two", B: "3", c: "" });
    });

    it("refuses a 51st tag, naming the count and the limit, and keeps the 50", async () => {
      const QueueUrl = await broker.createQueue();
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `${i}`]));
      await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: fifty }));
      const queueName = QueueUrl.slice(QueueUrl.lastIndexOf("/") + 1);
      await expectError(broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { k50: "50" } })), {
        name: "InvalidParameterValue",
        message:
          `Value 51 for parameter Tags is invalid. Reason: Too many tags added for queue ` +
          `${queueName}: a queue holds at most 50.`,
      });
      assert.deepEqual((await tagsOf(QueueUrl)).Tags, fifty);
    });

    it("refuses a tag key or value with a character XML cannot carry, as in a message body", async () => {
      const QueueUrl = await broker.createQueue();
      await expectError(
        broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { "a\u0000b": "v" } })),
        {
          name: "InvalidParameterValue",
          message: "Tag key contains the character '#x0', which SQS does not allow.",
        },
      );
      await expectError(broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { k: "\u0001" } })), {
        name: "InvalidParameterValue",
        message: "Tag value contains the character '#x1', which SQS does not allow.",
      });
      assert.equal((await tagsOf(QueueUrl)).Tags, undefined);
    });

    it("removes keys with UntagQueue and ignores missing ones", async () => {
      const QueueUrl = await broker.createQueue();
      await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { keep: "k", drop: "d" } }));
      await broker.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["drop", "never-there"] }));
      assert.deepEqual((await tagsOf(QueueUrl)).Tags, { keep: "k" });
      await broker.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["keep"] }));
      assert.equal((await tagsOf(QueueUrl)).Tags, undefined);
    });

    it("answers QueueDoesNotExist for tags of an unknown queue", async () => {
      const QueueUrl = `${broker.endpoint}/${ACCOUNT}/${broker.uniqueName("ghost")}`;
      const gone = { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE };
      await expectError(broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: "b" } })), gone);
      await expectError(broker.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["a"] })), gone);
      await expectError(tagsOf(QueueUrl), gone);
    });
  });

  describe("permissions", () => {
    const policyOf = async (QueueUrl: string) => (await get(QueueUrl, ["Policy"])).Policy;
    const addPermission = (
      QueueUrl: string,
      Label: string,
      accounts: string[],
      actions: string[],
    ) =>
      broker.sqs.send(
        new AddPermissionCommand({ QueueUrl, Label, AWSAccountIds: accounts, Actions: actions }),
      );

    it("writes a Policy statement per label, then drops the Policy with the last one", async () => {
      // Given a queue and its ARN
      const QueueUrl = await broker.createQueue();
      const arn = await arnOf(QueueUrl);
      assert.equal(await policyOf(QueueUrl), undefined);

      // When one account gets one action
      const added = await addPermission(
        QueueUrl,
        "crossaccountpermission",
        ["123456789012"],
        ["ReceiveMessage"],
      );
      assert.equal(added.$metadata.httpStatusCode, 200);

      // Then the policy has one statement with string principal and action
      const policy = JSON.parse((await policyOf(QueueUrl))!) as {
        Version: string;
        Id: string;
        Statement: Array<Record<string, unknown>>;
      };
      assert.equal(policy.Version, "2008-10-17");
      assert.ok(policy.Id.startsWith(`${arn}/`), `Id ${policy.Id} starts with the queue ARN`);
      assert.equal(policy.Statement.length, 1);
      const [first] = policy.Statement;
      assert.equal(first!.Sid, "crossaccountpermission");
      assert.equal(first!.Effect, "Allow");
      assert.equal(first!.Action, "SQS:ReceiveMessage");
      assert.equal(first!.Resource, arn);
      const principal = (first!.Principal as { AWS: unknown }).AWS;
      assert.equal(typeof principal, "string");
      assert.match(principal as string, /^arn:aws:iam::123456789012:/);

      // When a second label gives two accounts two actions
      await addPermission(
        QueueUrl,
        "second",
        ["111111111111", "222222222222"],
        ["SendMessage", "DeleteMessage"],
      );

      // Then it is a second statement, with arrays, after the first
      const two = JSON.parse((await policyOf(QueueUrl))!) as {
        Statement: Array<{ Sid: string; Principal: { AWS: unknown }; Action: unknown }>;
      };
      assert.deepEqual(
        two.Statement.map((s) => s.Sid),
        ["crossaccountpermission", "second"],
      );
      assert.deepEqual(two.Statement[1]!.Action, ["SQS:SendMessage", "SQS:DeleteMessage"]);
      const principals = two.Statement[1]!.Principal.AWS as string[];
      assert.ok(Array.isArray(principals));
      assert.equal(principals.length, 2);
      assert.match(principals[0]!, /^arn:aws:iam::111111111111:/);
      assert.match(principals[1]!, /^arn:aws:iam::222222222222:/);

      // When both are removed, the Policy attribute disappears
      await broker.sqs.send(
        new RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission" }),
      );
      const one = JSON.parse((await policyOf(QueueUrl))!) as { Statement: Array<{ Sid: string }> };
      assert.deepEqual(
        one.Statement.map((s) => s.Sid),
        ["second"],
      );
      await broker.sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "second" }));
      assert.equal(await policyOf(QueueUrl), undefined);
      assert.equal("Policy" in (await get(QueueUrl)), false);
    });

    it("refuses the same label twice", async () => {
      const QueueUrl = await broker.createQueue();
      await addPermission(QueueUrl, "crossaccountpermission", ["123456789012"], ["SendMessage"]);
      await expectError(
        addPermission(QueueUrl, "crossaccountpermission", ["123456789012"], ["SendMessage"]),
        {
          name: "InvalidParameterValue",
          message:
            "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
        },
      );
    });

    it("refuses more than seven actions in one statement with OverLimit, as AWS documents", async () => {
      const QueueUrl = await broker.createQueue();
      const seven = [
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
      ];
      await expectError(
        addPermission(
          QueueUrl,
          "eight",
          ["123456789012"],
          [...seven, "ListDeadLetterSourceQueues"],
        ),
        { name: "OverLimit", message: "8 Actions were found, maximum allowed is 7.", status: 403 },
      );
      assert.equal(await policyOf(QueueUrl), undefined, "nothing was written");
      const added = await addPermission(QueueUrl, "seven", ["123456789012"], seven);
      assert.equal(added.$metadata.httpStatusCode, 200);
    });

    it("refuses to remove an unknown label", async () => {
      const QueueUrl = await broker.createQueue();
      await addPermission(QueueUrl, "crossaccountpermission", ["123456789012"], ["SendMessage"]);
      await expectError(
        broker.sqs.send(
          new RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission2" }),
        ),
        {
          name: "InvalidParameterValue",
          message:
            "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
        },
      );
    });

    it("refuses to remove a label from a queue with no policy", async () => {
      const QueueUrl = await broker.createQueue();
      await expectError(
        broker.sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "nothing" })),
        {
          name: "InvalidParameterValue",
          message: "Value nothing for parameter Label is invalid. Reason: can't find label.",
        },
      );
    });

    it("lets SetQueueAttributes clear the Policy with an empty string", async () => {
      const QueueUrl = await broker.createQueue();
      await addPermission(QueueUrl, "label", ["123456789012"], ["SendMessage"]);
      await set(QueueUrl, { Policy: "" });
      assert.equal(await policyOf(QueueUrl), undefined);
    });
  });
});
