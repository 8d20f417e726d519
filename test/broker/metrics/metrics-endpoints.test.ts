import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { parsePrometheusText } from "../../support/prometheus-text.ts";
import { signedGet } from "../../support/signed-get.ts";

/**
 * `GET /metrics` (Prometheus text) and `GET /_mailroom/queues` (JSON) after
 * real SDK calls; both behind SigV4 when the broker checks signatures; and
 * the SQS API unchanged beside them.
 */

const FAMILIES = {
  mailroom_sqs_number_of_messages_sent_total: "counter",
  mailroom_sqs_number_of_messages_received_total: "counter",
  mailroom_sqs_number_of_messages_deleted_total: "counter",
  mailroom_sqs_number_of_empty_receives_total: "counter",
  mailroom_sqs_sent_message_size_bytes: "summary",
  mailroom_sqs_approximate_number_of_messages_visible: "gauge",
  mailroom_sqs_approximate_number_of_messages_not_visible: "gauge",
  mailroom_sqs_approximate_number_of_messages_delayed: "gauge",
  mailroom_sqs_approximate_age_of_oldest_message_seconds: "gauge",
};

describe("metrics endpoints", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker();
  });
  after(() => broker.close());

  const nameOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

  it("serves Prometheus text with running totals and current gauges", async () => {
    // Given a queue that got 3 sends (one delayed), 2 receives (one empty) and a delete
    const url = await broker.createQueue();
    const queue = nameOf(url);
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "one" }));
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "three" }));
    await broker.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 60 }),
    );
    const received = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }),
    );
    await broker.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: received.Messages![0]!.ReceiptHandle,
      }),
    );
    await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 30 }));
    await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    broker.clock.advance(5_000);

    // When Prometheus scrapes /metrics
    const response = await fetch(`${broker.endpoint}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = parsePrometheusText(await response.text());

    // Then every family is declared once with its type and help, and has this queue's values
    for (const [name, type] of Object.entries(FAMILIES)) {
      assert.equal(text.families.get(name)?.type, type, name);
      assert.ok(text.families.get(name)?.help, `${name} has help`);
    }
    const labels = { queue };
    assert.equal(text.value("mailroom_sqs_number_of_messages_sent_total", labels), 3);
    assert.equal(text.value("mailroom_sqs_number_of_messages_received_total", labels), 2);
    assert.equal(text.value("mailroom_sqs_number_of_messages_deleted_total", labels), 1);
    assert.equal(text.value("mailroom_sqs_number_of_empty_receives_total", labels), 1);
    assert.equal(text.value("mailroom_sqs_sent_message_size_bytes_sum", labels), 3 + 5 + 5);
    assert.equal(text.value("mailroom_sqs_sent_message_size_bytes_count", labels), 3);
    assert.equal(text.value("mailroom_sqs_approximate_number_of_messages_visible", labels), 0);
    assert.equal(text.value("mailroom_sqs_approximate_number_of_messages_not_visible", labels), 1);
    assert.equal(text.value("mailroom_sqs_approximate_number_of_messages_delayed", labels), 1);
    assert.equal(text.value("mailroom_sqs_approximate_age_of_oldest_message_seconds", labels), 5);
  });

  it("lists every queue with its console columns and counts", async () => {
    // Given a FIFO queue with content-based deduplication, a standard queue with a
    // dead-letter queue and a message, and queues with each kind of encryption
    const dlq = await broker.createQueue({}, "dlq");
    const dlqArn = (
      await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes!.QueueArn!;
    const source = await broker.createQueue(
      { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      "source",
    );
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: "x" }));
    const fifo = await broker.createFifoQueue({ ContentBasedDeduplication: "true" });
    const plain = await broker.createQueue({ SqsManagedSseEnabled: "false" });
    const kms = await broker.createQueue({ KmsMasterKeyId: "alias/aws/sqs" });

    // When the console lists the queues
    const response = await fetch(`${broker.endpoint}/_mailroom/queues`);
    assert.equal(response.status, 200);
    const { queues } = (await response.json()) as { queues: Array<Record<string, unknown>> };

    // Then each is there once, with the URL and ARN the SQS API gives, sorted by name
    const names = queues.map((q) => q.name as string);
    assert.deepEqual(names, [...names].sort());
    const entry = (url: string) => queues.find((q) => q.url === url);
    const created = Math.floor(broker.clock.now() / 1000);
    assert.deepEqual(entry(source), {
      name: nameOf(source),
      url: source,
      arn: dlqArn.replace(nameOf(dlq), nameOf(source)),
      fifo: false,
      createdTimestamp: created,
      visible: 1,
      inFlight: 0,
      delayed: 0,
      contentBasedDeduplication: false,
      encryption: "SSE-SQS",
      deadLetterTargetName: nameOf(dlq),
    });
    assert.equal(entry(dlq)?.deadLetterTargetName, undefined);
    assert.equal(entry(fifo)?.fifo, true);
    assert.equal(entry(fifo)?.contentBasedDeduplication, true);
    assert.equal(entry(plain)?.encryption, "none");
    assert.equal(entry(kms)?.encryption, "SSE-KMS");
    const listed = await broker.sqs.send(new ListQueuesCommand({}));
    assert.deepEqual(
      queues.map((q) => q.url),
      listed.QueueUrls,
    );
  });

  it("drops a deleted queue's metrics", async () => {
    const url = await broker.createQueue();
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "gone" }));
    await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const queue = nameOf(url);
    const text = parsePrometheusText(await (await fetch(`${broker.endpoint}/metrics`)).text());
    assert.ok(!text.samples.some((s) => s.labels.queue === queue));
    const series = await fetch(`${broker.endpoint}/_mailroom/metrics/${queue}`);
    assert.equal(series.status, 404);
  });

  it("leaves every SQS request to the SQS API: Query GETs with an Action, and other methods", async () => {
    const url = await broker.createQueue();
    // A Query GET to /metrics names an action: it is GetQueueUrl, not the metrics.
    const query = await fetch(
      `${broker.endpoint}/metrics?Action=GetQueueUrl&QueueName=${nameOf(url)}&Version=2012-11-05`,
    );
    assert.equal(query.status, 200);
    assert.match(await query.text(), /<GetQueueUrlResponse[^>]*>.*<QueueUrl>/);
    // A POST to /metrics is a JSON call as before.
    const client = new SQSClient({
      endpoint: `${broker.endpoint}/metrics`,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDMAILROOMTEST", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
    try {
      const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: nameOf(url) }));
      assert.deepEqual(listed.QueueUrls, [url]);
    } finally {
      client.destroy();
    }
    // Other paths under GET are still SQS's: a GET without Action is an unknown operation.
    const other = await fetch(`${broker.endpoint}/_mailroom`);
    assert.equal(other.status, 404);
    assert.match(await other.text(), /UnknownOperationException/);
  });
});

describe("metrics endpoints with --auth sigv4", () => {
  const ALICE = {
    accessKeyId: "AKIAMAILROOMALICE",
    secretAccessKey: "alice/secret+key",
    accountId: "000000000000",
  };
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({ auth: { mode: "sigv4", credentials: [ALICE] } });
    const signed = new SQSClient({
      endpoint: broker.endpoint,
      region: "us-east-1",
      credentials: ALICE,
      maxAttempts: 1,
    });
    await signed.send(new CreateQueueCommand({ QueueName: "signed-metrics" }));
    signed.destroy();
  });
  after(() => broker.close());

  const paths = ["/metrics", "/_mailroom/queues", "/_mailroom/metrics/signed-metrics?minutes=60"];

  it("refuses unsigned and wrongly signed GETs, with SQS's error", async () => {
    for (const path of paths) {
      const unsigned = await fetch(`${broker.endpoint}${path}`);
      assert.equal(unsigned.status, 403, path);
      assert.equal(
        ((await unsigned.json()) as { __type: string }).__type,
        "com.amazon.coral.service#MissingAuthenticationToken",
      );
      const forged = await signedGet(`${broker.endpoint}${path}`, {
        accessKeyId: ALICE.accessKeyId,
        secretAccessKey: "not-the-secret",
      });
      assert.equal(forged.status, 403, path);
      assert.equal(
        ((await forged.json()) as { __type: string }).__type,
        "com.amazon.coral.service#SignatureDoesNotMatch",
      );
    }
    // An unknown queue is not told apart from a known one without a signature.
    const probe = await fetch(`${broker.endpoint}/_mailroom/metrics/no-such-queue`);
    assert.equal(probe.status, 403);
  });

  it("serves GETs signed in the Authorization header or presigned", async () => {
    for (const path of paths) {
      for (const presign of [false, true]) {
        const response = await signedGet(`${broker.endpoint}${path}`, ALICE, presign);
        assert.equal(response.status, 200, `${path} presigned=${presign}`);
        await response.arrayBuffer();
      }
    }
    const series = await signedGet(
      `${broker.endpoint}/_mailroom/metrics/signed-metrics?minutes=180`,
      ALICE,
    );
    const body = (await series.json()) as { metrics: Record<string, unknown[]> };
    assert.equal(body.metrics.NumberOfMessagesSent!.length, 180);
  });
});
