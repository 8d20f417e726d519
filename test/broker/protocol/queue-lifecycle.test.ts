import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { SQSServiceException } from "@aws-sdk/client-sqs";
import { createBroker } from "../../../src/broker/create-broker.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { QUEUE_DOES_NOT_EXIST_MESSAGE } from "../../support/sqs-errors.ts";

const ACCOUNT = "000000000000";
const STANDARD_NAME_ERROR =
  "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
const FIFO_NAME_ERROR =
  "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";
const DELETED_RECENTLY =
  "You must wait 60 seconds after deleting a queue before you can create another with the same name.";

/** Expects an SDK call to fail with this error name, status and (when given) exact message. */
async function expectError(
  call: Promise<unknown>,
  expected: { name: string; message?: string | RegExp; status?: number; code?: string },
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
  if (expected.code) assert.equal((caught as unknown as { Code?: string }).Code, expected.code);
  return caught;
}

/** Raw JSON-protocol call with a chosen Host header (fetch does not let a caller set Host). */
function rawCall(
  endpoint: string,
  host: string,
  action: string,
  body: object,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: "/",
        method: "POST",
        headers: {
          host,
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": `AmazonSQS.${action}`,
          "content-length": Buffer.byteLength(payload),
        },
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(payload);
  });
}

async function counts(broker: TestBroker, QueueUrl: string): Promise<number[]> {
  const { Attributes = {} } = await broker.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return [
    Number(Attributes.ApproximateNumberOfMessages),
    Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    Number(Attributes.ApproximateNumberOfMessagesDelayed),
  ];
}

describe("queue lifecycle over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const create = async (
    QueueName: string,
    Attributes?: Record<string, string>,
    tags?: Record<string, string>,
  ) => {
    const output = await broker.sqs.send(new CreateQueueCommand({ QueueName, Attributes, tags }));
    return { ...output, QueueUrl: output.QueueUrl! };
  };

  describe("CreateQueue", () => {
    it("returns a URL on the host the client used, then the account and the name", async () => {
      const name = broker.uniqueName("url");
      const { QueueUrl, $metadata } = await create(name);
      assert.equal($metadata.httpStatusCode, 200);
      assert.equal(QueueUrl, `${broker.endpoint}/${ACCOUNT}/${name}`);
    });

    it("builds the URL from the request's Host header, so other host names work too", async () => {
      const name = broker.uniqueName("host");
      const { status, json } = await rawCall(
        broker.endpoint,
        "mailroom.internal:4566",
        "CreateQueue",
        {
          QueueName: name,
        },
      );
      assert.equal(status, 200);
      assert.deepEqual(json, { QueueUrl: `http://mailroom.internal:4566/${ACCOUNT}/${name}` });
    });

    it("is idempotent: same attributes, no attributes or a matching subset give the same URL", async () => {
      // Given a queue created with two attributes
      const name = broker.uniqueName("idem");
      const attributes = { DelaySeconds: "5", VisibilityTimeout: "45" };
      const first = await create(name, attributes);

      // When it is created again with the same, none, or a subset of them
      const same = await create(name, attributes);
      const none = await create(name);
      const subset = await create(name, { VisibilityTimeout: "45" });
      const explicitDefault = await create(name, { MaximumMessageSize: "1048576" });

      // Then every call succeeds with the same URL
      for (const again of [same, none, subset, explicitDefault]) {
        assert.equal(again.QueueUrl, first.QueueUrl);
      }
    });

    it("compares against the queue's current values, after SetQueueAttributes", async () => {
      const name = broker.uniqueName("cur");
      const { QueueUrl } = await create(name, { DelaySeconds: "5" });
      await broker.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "7" } }),
      );
      const again = await create(name, { DelaySeconds: "7" });
      assert.equal(again.QueueUrl, QueueUrl);
      await expectError(create(name, { DelaySeconds: "5" }), {
        name: "QueueNameExists",
        message:
          "A queue already exists with the same name and a different value for attribute DelaySeconds",
      });
    });

    it("finds a RedrivePolicy the same when given as the queue reports it", async () => {
      // Given a queue whose policy was given with maxReceiveCount as a string
      const dead = await create(broker.uniqueName("rdlq"));
      const { Attributes: deadAttributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dead.QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      const name = broker.uniqueName("rsrc");
      const given = `{"maxReceiveCount": "5", "deadLetterTargetArn": "${deadAttributes!.QueueArn}"}`;
      const { QueueUrl } = await create(name, { RedrivePolicy: given });
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["RedrivePolicy"] }),
      );

      // When it is created again with the policy it reports (a number), or as first given
      const reported = Attributes!.RedrivePolicy!;
      assert.notEqual(reported, given);
      for (const RedrivePolicy of [reported, given]) {
        // Then it is the same queue
        assert.equal((await create(name, { RedrivePolicy })).QueueUrl, QueueUrl);
      }
      const otherCount = JSON.stringify({ ...JSON.parse(reported), maxReceiveCount: 6 });
      await expectError(create(name, { RedrivePolicy: otherCount }), { name: "QueueNameExists" });
    });

    it("does not care about messages already in the queue", async () => {
      const name = broker.uniqueName("busy");
      const { QueueUrl } = await create(name, { VisibilityTimeout: "10" });
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "m" }));
      const again = await create(name, { VisibilityTimeout: "10" });
      assert.equal(again.QueueUrl, QueueUrl);
    });

    it("refuses an existing name with a different attribute value (QueueNameExists)", async () => {
      const name = broker.uniqueName("diff");
      await create(name, { DelaySeconds: "1" });
      await expectError(create(name, { DelaySeconds: "2" }), {
        name: "QueueNameExists",
        message:
          "A queue already exists with the same name and a different value for attribute DelaySeconds",
        code: "QueueAlreadyExists",
      });
    });

    it("refuses a different default-valued attribute of an existing queue", async () => {
      const name = broker.uniqueName("dflt");
      await create(name);
      await expectError(create(name, { VisibilityTimeout: "31" }), {
        name: "QueueNameExists",
        message:
          "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
      });
    });

    it("refuses a FIFO queue again with another ContentBasedDeduplication", async () => {
      const name = broker.uniqueName("fdiff", true);
      await create(name, { FifoQueue: "true", ContentBasedDeduplication: "false" });
      await expectError(create(name, { FifoQueue: "true", ContentBasedDeduplication: "true" }), {
        name: "QueueNameExists",
        message:
          "A queue already exists with the same name and a different value for attribute ContentBasedDeduplication",
      });
    });

    it("accepts standard names of 1 and 80 characters of alphanumerics, - and _", async () => {
      const eighty = `a_-${"x".repeat(66)}${broker.uniqueName("n")}`.slice(0, 80);
      assert.equal(eighty.length, 80);
      const { QueueUrl } = await create(eighty);
      assert.equal(QueueUrl, `${broker.endpoint}/${ACCOUNT}/${eighty}`);
      const one = await create("Z");
      assert.equal(one.QueueUrl, `${broker.endpoint}/${ACCOUNT}/Z`);
    });

    for (const [label, name] of [
      ["a space", "bad name"],
      ["a dot", "bad.name"],
      ["a punctuation mark", "bad!name"],
      ["a non-ASCII letter", "caf\u00e9"],
      ["81 characters", "a".repeat(81)],
      ["a .fifo suffix without FifoQueue", "standard-looking.fifo"],
    ]) {
      it(`refuses a standard queue name with ${label}`, async () => {
        await expectError(create(name!), {
          name: "InvalidParameterValue",
          message: STANDARD_NAME_ERROR,
          code: "InvalidParameterValue",
        });
      });
    }

    it("refuses an empty queue name with a 400", async () => {
      // AWS's text for this is not established; only the rejection is asserted.
      await assert.rejects(create(""), (error: SQSServiceException) => {
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      });
    });

    it("accepts a FIFO name of 80 characters including .fifo", async () => {
      const base = `${broker.uniqueName("f")}${"y".repeat(80)}`.slice(0, 75);
      const name = `${base}.fifo`;
      assert.equal(name.length, 80);
      const { QueueUrl } = await create(name, { FifoQueue: "true" });
      assert.equal(QueueUrl, `${broker.endpoint}/${ACCOUNT}/${name}`);
    });

    for (const [label, name] of [
      ["no .fifo suffix", "fifo-without-suffix"],
      ["81 characters including .fifo", `${"b".repeat(76)}.fifo`],
      ["a space", "bad name.fifo"],
      ["only the suffix", ".fifo"],
    ]) {
      it(`refuses a FIFO queue name with ${label}`, async () => {
        await expectError(create(name!, { FifoQueue: "true" }), {
          name: "InvalidParameterValue",
          message: FIFO_NAME_ERROR,
        });
      });
    }

    it("refuses FifoQueue=false on a standard queue (InvalidAttributeName)", async () => {
      await expectError(create(broker.uniqueName("ff"), { FifoQueue: "false" }), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute FifoQueue.",
      });
    });

    it("refuses ContentBasedDeduplication on a standard queue", async () => {
      await expectError(create(broker.uniqueName("cbd"), { ContentBasedDeduplication: "true" }), {
        name: "InvalidAttributeName",
        message: "Unknown Attribute ContentBasedDeduplication.",
      });
    });

    it("refuses DeduplicationScope on a standard queue", async () => {
      await expectError(create(broker.uniqueName("ds"), { DeduplicationScope: "queue" }), {
        name: "InvalidAttributeName",
        message: "You can specify the DeduplicationScope only when FifoQueue is set to true.",
      });
    });

    it("refuses FifoThroughputLimit on a standard queue", async () => {
      await expectError(create(broker.uniqueName("ftl"), { FifoThroughputLimit: "perQueue" }), {
        name: "InvalidAttributeName",
        message: "You can specify the FifoThroughputLimit only when FifoQueue is set to true.",
      });
    });

    it("creates nothing when it refuses", async () => {
      const name = broker.uniqueName("none");
      await expectError(create(name, { VisibilityTimeout: "43201" }), {
        name: "InvalidAttributeValue",
        message: "Invalid value for the parameter VisibilityTimeout.",
      });
      await expectError(broker.sqs.send(new GetQueueUrlCommand({ QueueName: name })), {
        name: "QueueDoesNotExist",
      });
    });

    it("stores tags given on create", async () => {
      const { QueueUrl } = await create(broker.uniqueName("tags"), undefined, {
        team: "mail",
        empty: "",
      });
      const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
      assert.deepEqual(Tags, { team: "mail", empty: "" });
    });
  });

  describe("GetQueueUrl", () => {
    it("returns the URL CreateQueue gave", async () => {
      const name = broker.uniqueName("get");
      const { QueueUrl } = await create(name);
      const found = await broker.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      assert.equal(found.QueueUrl, QueueUrl);
    });

    it("answers QueueDoesNotExist for an unknown queue", async () => {
      const error = await expectError(
        broker.sqs.send(new GetQueueUrlCommand({ QueueName: broker.uniqueName("ghost") })),
        {
          name: "QueueDoesNotExist",
          message: QUEUE_DOES_NOT_EXIST_MESSAGE,
          code: "AWS.SimpleQueueService.NonExistentQueue",
        },
      );
      assert.equal(error.$fault, "client");
    });

    it("accepts the broker's own account as QueueOwnerAWSAccountId", async () => {
      const name = broker.uniqueName("own");
      const { QueueUrl } = await create(name);
      const found = await broker.sqs.send(
        new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: ACCOUNT }),
      );
      assert.equal(found.QueueUrl, QueueUrl);
    });

    it("answers QueueDoesNotExist when QueueOwnerAWSAccountId names another account", async () => {
      const name = broker.uniqueName("other");
      await create(name);
      await expectError(
        broker.sqs.send(
          new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: "123456789012" }),
        ),
        { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE },
      );
    });

    it("takes a bare queue name where the URL goes, as SQS does", async () => {
      // As AWS answered LocalStack's test_posting_to_queue_via_queue_name and test_set_empty_redrive_policy
      const name = broker.uniqueName("bare");
      await create(name);
      const sent = await broker.sqs.send(
        new SendMessageCommand({ QueueUrl: name, MessageBody: "Using name instead of URL" }),
      );
      assert.equal(sent.MD5OfMessageBody, "86a83f96652a1bfad3891e7d523750cb");
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: name,
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      );
      assert.equal(Attributes?.ApproximateNumberOfMessages, "1");
      await expectError(
        broker.sqs.send(
          new SendMessageCommand({ QueueUrl: broker.uniqueName("ghost"), MessageBody: "x" }),
        ),
        { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE },
      );
    });

    it("does not find a queue by another account's URL", async () => {
      const name = broker.uniqueName("acct");
      await create(name);
      await expectError(
        broker.sqs.send(
          new SendMessageCommand({
            QueueUrl: `${broker.endpoint}/123456789012/${name}`,
            MessageBody: "x",
          }),
        ),
        { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE },
      );
    });
  });

  describe("ListQueues", () => {
    async function createFamily(size: number): Promise<{ prefix: string; urls: string[] }> {
      const prefix = broker.uniqueName("fam");
      const urls: string[] = [];
      for (let i = 0; i < size; i++) urls.push((await create(`${prefix}-${i}`)).QueueUrl!);
      return { prefix, urls };
    }

    it("lists the queues whose names start with the prefix, and no NextToken without MaxResults", async () => {
      const { prefix, urls } = await createFamily(3);
      await create(`x${prefix}`); // contains the prefix, but does not start with it
      const listed = await broker.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
      assert.deepEqual([...(listed.QueueUrls ?? [])].sort(), [...urls].sort());
      assert.equal(listed.NextToken, undefined);
    });

    it("treats the prefix as case-sensitive", async () => {
      const { prefix } = await createFamily(1);
      const listed = await broker.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix.toUpperCase() }),
      );
      assert.equal(listed.QueueUrls, undefined);
    });

    it("includes every queue without a prefix", async () => {
      const { urls } = await createFamily(2);
      const listed = await broker.sqs.send(new ListQueuesCommand({}));
      for (const url of urls) assert.ok(listed.QueueUrls?.includes(url), `${url} listed`);
    });

    it("walks all pages with MaxResults and NextToken", async () => {
      // Given five queues sharing a prefix
      const { prefix, urls } = await createFamily(5);

      // When they are listed two at a time, following NextToken
      const pages: string[][] = [];
      let NextToken: string | undefined;
      do {
        const page = await broker.sqs.send(
          new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }),
        );
        pages.push(page.QueueUrls ?? []);
        NextToken = page.NextToken;
        assert.ok(pages.length <= 5, "pagination ends");
      } while (NextToken);

      // Then the pages hold 2, 2 and 1 URLs, each queue exactly once, and the last has no token
      assert.deepEqual(
        pages.map((p) => p.length),
        [2, 2, 1],
      );
      assert.deepEqual(pages.flat().sort(), [...urls].sort());
    });

    it("gives no NextToken when MaxResults covers every match", async () => {
      const { prefix, urls } = await createFamily(3);
      const exact = await broker.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 3 }),
      );
      assert.equal(exact.QueueUrls?.length, urls.length);
      assert.equal(exact.NextToken, undefined);
      const more = await broker.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000 }),
      );
      assert.equal(more.QueueUrls?.length, urls.length);
      assert.equal(more.NextToken, undefined);
    });

    it("omits QueueUrls when nothing matches", async () => {
      const listed = await broker.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: broker.uniqueName("nomatch") }),
      );
      assert.equal(listed.$metadata.httpStatusCode, 200);
      assert.equal(listed.QueueUrls, undefined);
      assert.equal(listed.NextToken, undefined);
    });

    for (const MaxResults of [0, 1001]) {
      it(`refuses MaxResults ${MaxResults} with a 400`, async () => {
        // AWS's text is not established; the status is.
        await assert.rejects(
          broker.sqs.send(new ListQueuesCommand({ MaxResults })),
          (error: SQSServiceException) => {
            assert.equal(error.$metadata.httpStatusCode, 400);
            return true;
          },
        );
      });
    }

    it("leaves deleted queues out", async () => {
      const { prefix, urls } = await createFamily(2);
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: urls[0] }));
      const listed = await broker.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
      assert.deepEqual(listed.QueueUrls, [urls[1]]);
    });
  });

  describe("DeleteQueue", () => {
    it("deletes the queue: every later call on it is QueueDoesNotExist", async () => {
      // Given a queue with a message
      const name = broker.uniqueName("del");
      const { QueueUrl } = await create(name);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "bye" }));

      // When it is deleted
      const deleted = await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      assert.equal(deleted.$metadata.httpStatusCode, 200);

      // Then it cannot be found, used, or deleted again
      const gone = { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE };
      await expectError(broker.sqs.send(new GetQueueUrlCommand({ QueueName: name })), gone);
      await expectError(
        broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })),
        gone,
      );
      await expectError(broker.sqs.send(new ReceiveMessageCommand({ QueueUrl })), gone);
      await expectError(
        broker.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] })),
        gone,
      );
      await expectError(broker.sqs.send(new DeleteQueueCommand({ QueueUrl })), gone);
    });

    it("holds the name for 60 s: QueueDeletedRecently, then a fresh empty queue", async () => {
      // Given a deleted queue that held a message
      const name = broker.uniqueName("reuse");
      const { QueueUrl } = await create(name);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "old" }));
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));

      // When it is re-created at once, and 59 s later
      await expectError(create(name), {
        name: "QueueDeletedRecently",
        message: DELETED_RECENTLY,
        code: "AWS.SimpleQueueService.QueueDeletedRecently",
      });
      broker.clock.advance(59_000);
      await expectError(create(name), { name: "QueueDeletedRecently", message: DELETED_RECENTLY });

      // Then 60 s after the delete it works, under the same URL, and the queue is empty
      broker.clock.advance(1_000);
      const again = await create(name);
      assert.equal(again.QueueUrl, QueueUrl);
      assert.deepEqual(await counts(broker, QueueUrl), [0, 0, 0]);
      const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(Messages, undefined);
    });

    it("holds a FIFO queue's name too", async () => {
      const name = broker.uniqueName("freuse", true);
      const { QueueUrl } = await create(name, { FifoQueue: "true" });
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await expectError(create(name, { FifoQueue: "true" }), {
        name: "QueueDeletedRecently",
        message: DELETED_RECENTLY,
      });
      broker.clock.advance(60_000);
      assert.equal((await create(name, { FifoQueue: "true" })).QueueUrl, QueueUrl);
    });

    it("does not hold other names", async () => {
      const { QueueUrl } = await create(broker.uniqueName("a"));
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      const other = broker.uniqueName("b");
      assert.equal((await create(other)).QueueUrl, `${broker.endpoint}/${ACCOUNT}/${other}`);
    });
  });

  describe("PurgeQueue", () => {
    it("removes visible, in-flight and delayed messages, not later ones", async () => {
      // Given a visible, an in-flight and a delayed message
      const { QueueUrl } = await create(broker.uniqueName("purge"));
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "in-flight" }));
      const received = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }),
      );
      assert.equal(received.Messages?.length, 1);
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "visible" }));
      await broker.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: "delayed", DelaySeconds: 10 }),
      );
      assert.deepEqual(await counts(broker, QueueUrl), [1, 1, 1]);

      // When the queue is purged
      const purged = await broker.sqs.send(new PurgeQueueCommand({ QueueUrl }));
      assert.equal(purged.$metadata.httpStatusCode, 200);

      // Then all three are gone, even after their delay and visibility timeout pass
      assert.deepEqual(await counts(broker, QueueUrl), [0, 0, 0]);
      broker.clock.advance(31_000);
      assert.deepEqual(await counts(broker, QueueUrl), [0, 0, 0]);
      const after = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
      );
      assert.equal(after.Messages, undefined);

      // And a message sent after the purge is delivered
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "fresh" }));
      const fresh = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.deepEqual(
        fresh.Messages?.map((m) => m.Body),
        ["fresh"],
      );
    });

    it("allows one purge per 60 s: PurgeQueueInProgress (403) names the queue", async () => {
      // Given a queue purged once
      const name = broker.uniqueName("twice");
      const { QueueUrl } = await create(name);
      await broker.sqs.send(new PurgeQueueCommand({ QueueUrl }));

      // When it is purged again within the minute
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "kept" }));
      await expectError(broker.sqs.send(new PurgeQueueCommand({ QueueUrl })), {
        name: "PurgeQueueInProgress",
        message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
        status: 403,
        code: "AWS.SimpleQueueService.PurgeQueueInProgress",
      });
      broker.clock.advance(59_000);
      await expectError(broker.sqs.send(new PurgeQueueCommand({ QueueUrl })), {
        name: "PurgeQueueInProgress",
        status: 403,
      });

      // Then the refused purge removed nothing, and once 60 s have passed it works
      assert.deepEqual(await counts(broker, QueueUrl), [1, 0, 0]);
      broker.clock.advance(1_000);
      const ok = await broker.sqs.send(new PurgeQueueCommand({ QueueUrl }));
      assert.equal(ok.$metadata.httpStatusCode, 200);
      assert.deepEqual(await counts(broker, QueueUrl), [0, 0, 0]);
    });

    it("limits purges per queue, not per broker", async () => {
      const first = await create(broker.uniqueName("p1"));
      const second = await create(broker.uniqueName("p2"));
      await broker.sqs.send(new PurgeQueueCommand({ QueueUrl: first.QueueUrl }));
      const ok = await broker.sqs.send(new PurgeQueueCommand({ QueueUrl: second.QueueUrl }));
      assert.equal(ok.$metadata.httpStatusCode, 200);
    });

    it("answers QueueDoesNotExist for an unknown queue", async () => {
      await expectError(
        broker.sqs.send(
          new PurgeQueueCommand({
            QueueUrl: `${broker.endpoint}/${ACCOUNT}/${broker.uniqueName("ghost")}`,
          }),
        ),
        { name: "QueueDoesNotExist", message: QUEUE_DOES_NOT_EXIST_MESSAGE },
      );
    });
  });
});

describe("queue lifecycle with relaxedTiming", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker({ relaxedTiming: true })));
  after(() => broker.close());

  it("re-creates a deleted queue at once", async () => {
    const name = broker.uniqueName("relaxed");
    const { QueueUrl } = await broker.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "old" }));
    await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const again = await broker.sqs.send(new CreateQueueCommand({ QueueName: name }));
    assert.equal(again.QueueUrl, QueueUrl);
    const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(Messages, undefined);
  });

  it("purges twice in a row", async () => {
    const { QueueUrl } = await broker.sqs.send(
      new CreateQueueCommand({ QueueName: broker.uniqueName("purge") }),
    );
    await broker.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "m" }));
    const second = await broker.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    assert.equal(second.$metadata.httpStatusCode, 200);
    assert.deepEqual(await counts(broker, QueueUrl!), [0, 0, 0]);
  });
});

describe("queue URLs for a Host header without a port", () => {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    info: () => undefined,
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }),
    error: () => undefined,
  };
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker({ logger })));
  after(() => broker.close());

  it("follows HTTP (port 80) and says once in the log how to give such clients the right port", async () => {
    const name = broker.uniqueName("portless");
    const created = await rawCall(broker.endpoint, "127.0.0.1", "CreateQueue", { QueueName: name });
    assert.deepEqual(created.json, { QueueUrl: `http://127.0.0.1/${ACCOUNT}/${name}` });
    await rawCall(broker.endpoint, "localhost", "GetQueueUrl", { QueueName: name });
    const port = Number(new URL(broker.endpoint).port);
    assert.deepEqual(warnings, [
      {
        fields: { host: "127.0.0.1", port },
        message:
          `a client sent "Host: 127.0.0.1" without a port, so the queue URLs it is given say port 80; ` +
          `if it reached this broker on port ${port} directly, start the broker with ` +
          `--queue-url-base http://127.0.0.1:${port} (the queueUrlBase option)`,
      },
    ]);
  });
});

describe("queue URLs with a fixed queueUrlBase", () => {
  const BASE = "https://sqs.example.test:8443";
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker({ queueUrlBase: `${BASE}/` })));
  after(() => broker.close());

  it("hands out URLs on the base, whatever the Host header, and serves them", async () => {
    const name = broker.uniqueName("based");
    const expected = `${BASE}/${ACCOUNT}/${name}`;
    const created = await rawCall(broker.endpoint, "127.0.0.1", "CreateQueue", { QueueName: name });
    assert.deepEqual(created.json, { QueueUrl: expected });
    const { QueueUrl } = await broker.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    assert.equal(QueueUrl, expected);
    const listed = await broker.sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    assert.deepEqual(listed.QueueUrls, [expected]);
    // Only the path of a queue URL names the queue, so the base's own URLs work here too.
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: expected, MessageBody: "m" }));
    const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl: expected }));
    assert.equal(Messages?.[0]?.Body, "m");
  });

  it("refuses a base with a path, another scheme or no host", () => {
    for (const base of ["http://x.test/sqs", "ftp://x.test", "not a url", "http://x.test?a=1"]) {
      assert.throws(() => createBroker({ queueUrlBase: base, inMemory: true }), RangeError, base);
    }
  });
});
