import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli, startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { createRequest, getJson, startMaker } from "./maker-process.ts";
import type { RunningMaker } from "./maker-process.ts";

interface Response {
  requestId: string | null;
  widgetId: string | null;
  status: "OK" | "REJECTED";
  location?: string | null;
  reason?: string;
  httpStatus?: number;
}

interface WidgetList {
  count: number;
  widgets: { widget_id: string; request_id: string; owner: string; label: string }[];
}

/** Retry timings: receives at about 0, 4 and 12 s, so the maker may be down ~10 s without loss. */
const RETRY_BASE_SECONDS = 4;
const MAX_RECEIVES = 3;

describe("mailroom maker-consumer", () => {
  let broker: TestBroker;
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-maker-consumer-"));
  const processes: CliProcess[] = [];

  before(async () => {
    broker = await startTestBroker({ clock: systemClock });
  });

  after(async () => {
    for (const cli of processes) await cli.stop("SIGKILL");
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("makes every valid request exactly once through a maker restart, rejects invalid ones, dead-letters when the maker stays down", async () => {
    // Given a request queue redriving to a DLQ after 3 receives, a response queue, a maker and a consumer
    const dlqUrl = await broker.createQueue({}, "maker-dlq");
    const dlqArn = await queueArn(broker, dlqUrl);
    const requestsUrl = await broker.createQueue(
      {
        VisibilityTimeout: "2",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: String(MAX_RECEIVES),
        }),
      },
      "maker-requests",
    );
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    let maker: RunningMaker = await startMaker(dataDir);
    processes.push(maker.cli);
    const consumer = startCli([
      "maker-consumer",
      "--endpoint-url",
      broker.endpoint,
      "--request-queue",
      requestsUrl,
      "--response-queue",
      responsesUrl,
      "--maker-url",
      maker.url,
      "--wait-seconds",
      "1",
      "--retry-base-seconds",
      String(RETRY_BASE_SECONDS),
      "--retry-max-seconds",
      "16",
      "--max-receives",
      String(MAX_RECEIVES),
      "--request-timeout",
      "3",
      "--max-runtime",
      "150",
    ]);
    processes.push(consumer);
    await consumer.waitFor(/^Maker consumer: /m);

    const valid = Array.from({ length: 30 }, (_, index) => createRequest(index));
    const invalid: { body: string; reason: RegExp; requestId: string | null }[] = [
      {
        body: JSON.stringify({ ...createRequest(100), type: "bad" }),
        reason: /type must be one of create, update, delete; got "bad"/,
        requestId: "bad-type",
      },
      {
        body: JSON.stringify({ type: "create", requestId: "no-owner", widgetId: "bad" }),
        reason: /owner is missing/,
        requestId: "no-owner",
      },
      {
        body: JSON.stringify({ ...createRequest(101), type: "update", requestId: "an-update" }),
        reason: /only makes widgets from create requests/,
        requestId: "an-update",
      },
      { body: "this is not JSON", reason: /not valid JSON/, requestId: null },
    ];
    invalid[0]!.body = JSON.stringify({ ...JSON.parse(invalid[0]!.body), requestId: "bad-type" });

    // When half the requests flow, the maker stops mid-run...
    await sendBodies(
      broker,
      requestsUrl,
      valid.slice(0, 15).map((request) => JSON.stringify(request)),
    );
    await waitUntil(async () => (await widgetCount(maker)) >= 5, 30_000, "the first widgets");
    const stopped = await maker.cli.stop("SIGTERM");
    assert.equal(stopped.code, 0);

    // ...the rest arrive while it is down (with duplicates, invalid ones and a repeat of an early one)...
    await sendBodies(broker, requestsUrl, [
      ...valid.slice(15).map((request) => JSON.stringify(request)),
      JSON.stringify(valid[20]),
      JSON.stringify(valid[0]),
      ...invalid.map((request) => request.body),
    ]);
    await consumer.waitFor(
      /maker unavailable for widget \S+ on receive 1: .+; will retry in \d+ s/,
      20_000,
      "stderr",
    );
    await sleep(2_000);

    // ...and it comes back on the same port and data dir.
    maker = await startMaker(dataDir, maker.port);
    processes.push(maker.cli);

    // Then every valid request is exactly one widget, and every request is settled
    await waitUntil(async () => (await widgetCount(maker)) >= 30, 40_000, "30 widgets");
    await waitUntil(
      async () => (await inQueue(broker, requestsUrl)) === 0,
      40_000,
      "an empty request queue",
    );
    const widgets = (await getJson<WidgetList>(`${maker.url}/widgets`)).json;
    assert.equal(widgets.count, 30);
    assert.deepEqual(
      widgets.widgets.map((widget) => widget.widget_id).sort(),
      valid.map((request) => request.widgetId as string).sort(),
    );
    for (const request of valid) {
      const widget = widgets.widgets.find((w) => w.widget_id === request.widgetId)!;
      assert.equal(widget.request_id, request.requestId);
      assert.equal(widget.owner, request.owner);
      assert.equal(widget.label, request.label);
    }

    const responses = await drain(broker, responsesUrl);
    for (const request of valid) {
      const answers = responses.filter((response) => response.requestId === request.requestId);
      assert.ok(answers.length >= 1, `a response for ${String(request.requestId)}`);
      for (const answer of answers) {
        assert.equal(answer.status, "OK");
        assert.equal(answer.widgetId, request.widgetId);
        assert.equal(answer.location, `${maker.url}/widgets/${String(request.widgetId)}`);
      }
      // Made once: at most one answer says "created", the others (if any) are repeats.
      assert.ok(answers.filter((answer) => answer.httpStatus === 201).length <= 1);
    }
    for (const request of invalid) {
      const answers = responses.filter(
        (response) =>
          response.requestId === request.requestId &&
          (request.requestId !== null || response.reason?.match(request.reason)),
      );
      assert.ok(answers.length >= 1, `a REJECTED response for ${request.body}`);
      for (const answer of answers) {
        assert.equal(answer.status, "REJECTED");
        assert.match(answer.reason ?? "", request.reason);
      }
    }
    assert.equal(
      await inQueue(broker, dlqUrl),
      0,
      "nothing dead-lettered while the maker came back",
    );

    // When the maker stays down, requests are retried up to 3 receives, then the queue dead-letters them
    const final = await maker.cli.stop("SIGTERM");
    assert.equal(final.code, 0);
    const orphans = [createRequest(200), createRequest(201), createRequest(202)];
    await sendBodies(
      broker,
      requestsUrl,
      orphans.map((request) => JSON.stringify(request)),
    );

    const deadLettered = await collectDeadLetters(broker, dlqUrl, orphans.length, 45_000);
    assert.deepEqual(
      deadLettered.map((message) => JSON.parse(message.Body!).requestId).sort(),
      orphans.map((request) => request.requestId).sort(),
    );
    for (const message of deadLettered) {
      assert.equal(message.Attributes?.ApproximateReceiveCount, String(MAX_RECEIVES + 1));
    }
    const lateResponses = await drain(broker, responsesUrl);
    assert.deepEqual(lateResponses, [], "no response for a request the maker never saw");
    assert.match(consumer.stderr(), /giving up on the request/);

    // And SIGTERM stops the consumer cleanly
    const exit = await consumer.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr.slice(-2000));
    assert.match(exit.stdout, /^Maker consumer stopped \(signal\): \d+ made, /m);
  });

  it("answers invalid requests on a FIFO response queue, though their widget ids cannot be group ids", async () => {
    const requestsUrl = await broker.createQueue({}, "maker-requests");
    const { QueueUrl: responsesUrl } = await broker.sqs.send(
      new CreateQueueCommand({
        QueueName: broker.uniqueName("maker-responses", true),
        Attributes: { FifoQueue: "true" },
      }),
    );
    const maker = await startMaker(mkdtempSync(join(dataDir, "fifo-")));
    processes.push(maker.cli);
    await sendBodies(broker, requestsUrl, [
      JSON.stringify({ ...createRequest(200), widgetId: "bad id", requestId: "spaced" }),
      JSON.stringify({ ...createRequest(201), widgetId: "", requestId: "empty" }),
      JSON.stringify({ ...createRequest(202), requestId: "fine" }),
    ]);

    const exit = await runUntilIdle(broker, requestsUrl, responsesUrl!, maker.url);

    assert.equal(exit.code, 0, exit.stderr);
    const responses = await drain(broker, responsesUrl!);
    assert.deepEqual(
      responses.map((response) => `${response.requestId} ${response.status}`).sort(),
      ["empty REJECTED", "fine OK", "spaced REJECTED"],
    );
    assert.equal(await inQueue(broker, requestsUrl), 0);
  });

  it("answers the seed's {WidgetId} requests in the seed's words: {MessageId, WidgetId, Status}", async () => {
    const requestsUrl = await broker.createQueue({}, "maker-requests");
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    const maker = await startMaker(mkdtempSync(join(dataDir, "seed-")));
    processes.push(maker.cli);
    const valid = "31f37378-54f4-11e5-ad75-3c970e65f731";
    await sendBodies(broker, requestsUrl, [
      JSON.stringify({ WidgetId: valid }),
      JSON.stringify({ WidgetId: "this_is_not_a_valid_widget_id" }),
    ]);

    const exit = await runUntilIdle(broker, requestsUrl, responsesUrl, `${maker.url}/add`);

    assert.equal(exit.code, 0, exit.stderr);
    const responses = (await drain(broker, responsesUrl)) as unknown as {
      MessageId: string;
      WidgetId: string;
      Status: string;
    }[];
    assert.deepEqual(responses.map(({ WidgetId, Status }) => `${WidgetId} ${Status}`).sort(), [
      `${valid} OK`,
      "this_is_not_a_valid_widget_id REJECTED",
    ]);
    for (const response of responses) assert.match(response.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(await inQueue(broker, requestsUrl), 0);
  });

  it("answers and deletes a seed request with a 600,000-character invalid id: the response stays under SQS's size limit", async () => {
    const requestsUrl = await broker.createQueue({}, "maker-requests");
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    const maker = await startMaker(mkdtempSync(join(dataDir, "huge-")));
    processes.push(maker.cli);
    const hugeId = "x".repeat(600_000);
    await sendBodies(broker, requestsUrl, [JSON.stringify({ WidgetId: hugeId })]);

    const exit = await runUntilIdle(broker, requestsUrl, responsesUrl, `${maker.url}/add`);

    assert.equal(exit.code, 0, exit.stderr.slice(-2000));
    const [response, ...others] = (await drain(broker, responsesUrl)) as unknown as {
      WidgetId: string;
      Status: string;
      Reason: string;
    }[];
    assert.deepEqual(others, []);
    assert.equal(response?.Status, "REJECTED");
    assert.equal(response.WidgetId, `${"x".repeat(1021)}...`);
    assert.equal(response.Reason, `invalid widget id "${"x".repeat(57)}...": not a UUID`);
    assert.equal(await inQueue(broker, requestsUrl), 0);
  });

  it("keeps requests refused by something that is not the maker (--maker-url set to the broker): dead-lettered, not rejected", async () => {
    // Given a request queue redriving after 2 receives, and --maker-url mixed up with --endpoint-url
    const dlqUrl = await broker.createQueue({}, "maker-dlq");
    const requestsUrl = await broker.createQueue(
      {
        VisibilityTimeout: "1",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(broker, dlqUrl),
          maxReceiveCount: "2",
        }),
      },
      "maker-requests",
    );
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    const request = createRequest(300);
    await sendBodies(broker, requestsUrl, [JSON.stringify(request)]);

    // When the consumer POSTs it to the broker, which answers 400 with an XML body
    const exit = await runMakerConsumer(broker, requestsUrl, responsesUrl, [
      ...["--maker-url", broker.endpoint, "--wait-seconds", "1", "--idle-timeout", "4"],
      ...["--retry-base-seconds", "1", "--max-receives", "2"],
    ]);

    // Then nothing is answered or deleted: the request waits in the dead-letter queue
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(
      exit.stderr,
      /maker answered 400 without the widget maker's .*is --maker-url the widget maker\?/,
    );
    assert.deepEqual(await drain(broker, responsesUrl), []);
    const [deadLetter] = await collectDeadLetters(broker, dlqUrl, 1, 10_000);
    assert.equal(JSON.parse(deadLetter!.Body!).requestId, request.requestId);
  });

  it("names a response queue deleted mid-run in one line and exits 1, leaving the request on its queue", async () => {
    // Given a consumer running between two queues and a maker
    const dlqUrl = await broker.createQueue({}, "maker-dlq");
    const requestsUrl = await broker.createQueue(
      {
        VisibilityTimeout: "1",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(broker, dlqUrl),
          maxReceiveCount: "3",
        }),
      },
      "maker-requests",
    );
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    const maker = await startMaker(mkdtempSync(join(dataDir, "gone-")));
    processes.push(maker.cli);
    const consumer = startCli([
      ...["maker-consumer", "--endpoint-url", broker.endpoint, "--request-queue", requestsUrl],
      ...["--response-queue", responsesUrl, "--maker-url", maker.url, "--wait-seconds", "1"],
      ...["--max-runtime", "30"],
    ]);
    processes.push(consumer);
    await consumer.waitFor(/^Maker consumer: /m);

    // When the response queue is deleted, then a request arrives
    await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: responsesUrl }));
    await sendBodies(broker, requestsUrl, [JSON.stringify(createRequest(400))]);

    // Then the consumer stops at once, naming the queue, and the request is still there
    const exit = await consumer.exited;
    assert.equal(exit.code, 1, exit.stderr.slice(-2000));
    assert.equal(
      exit.stderr.trim().split("\n").at(-1),
      `mailroom: the response queue ${responsesUrl} no longer exists`,
    );
    assert.equal(await inQueue(broker, requestsUrl), 1);
    assert.equal(await inQueue(broker, dlqUrl), 0);
  });

  it("counts in its summary as people write counts: 1 repeat, not 1 repeats", async () => {
    const requestsUrl = await broker.createQueue({}, "maker-requests");
    const responsesUrl = await broker.createQueue({}, "maker-responses");
    const maker = await startMaker(mkdtempSync(join(dataDir, "repeat-")));
    processes.push(maker.cli);
    const request = JSON.stringify(createRequest(500));
    await sendBodies(broker, requestsUrl, [request, request]);

    const exit = await runUntilIdle(broker, requestsUrl, responsesUrl, maker.url);

    assert.equal(exit.code, 0, exit.stderr);
    assert.match(
      exit.stdout,
      /^Maker consumer stopped \(idle\): 1 made, 1 repeat, 0 rejected, 0 retries scheduled, 0 given up, 0 failed$/m,
    );
  });

  it("offers only the SQS endpoint flags in --help: it uses neither S3 nor DynamoDB", async () => {
    const exit = await runCli(["maker-consumer", "--help"]);

    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /--endpoint-url <url>/);
    assert.match(exit.stdout, /--sqs-endpoint-url <url>/);
    assert.doesNotMatch(exit.stdout, /--s3-endpoint-url|--dynamodb-endpoint-url/);
  });

  it("stops by itself after --idle-timeout without requests, exit 0", async () => {
    const requestsUrl = await broker.createQueue({}, "maker-requests");
    const responsesUrl = await broker.createQueue({}, "maker-responses");

    const exit = await runMakerConsumer(broker, requestsUrl, responsesUrl, ["--idle-timeout", "1"]);

    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /^Maker consumer stopped \(idle\): 0 made, /m);
    // No redrive policy on this queue: the consumer says what that means.
    assert.match(exit.stderr, /the request queue has no redrive policy/);
  });

  it("names a missing request queue in one line and exits 1", async () => {
    const responsesUrl = await broker.createQueue({}, "maker-responses");

    const exit = await runCli([
      "maker-consumer",
      "--endpoint-url",
      broker.endpoint,
      "--request-queue",
      "no-such-queue",
      "--response-queue",
      responsesUrl,
    ]);

    assert.equal(exit.code, 1);
    // The last line: Node may print its own warnings (the SDK's Node version notice) before it.
    assert.equal(
      exit.stderr.trim().split("\n").at(-1),
      "mailroom: Unable to find a Queue by this name no-such-queue",
    );
  });
});

/** `mailroom maker-consumer` between two queues of the test broker, run to its exit. */
function runMakerConsumer(
  broker: TestBroker,
  requestsUrl: string,
  responsesUrl: string,
  extra: readonly string[],
) {
  return runCli([
    "maker-consumer",
    "--endpoint-url",
    broker.endpoint,
    "--request-queue",
    requestsUrl,
    "--response-queue",
    responsesUrl,
    ...extra,
  ]);
}

/** The same against a maker, stopping 2 s after the queue runs dry. */
function runUntilIdle(
  broker: TestBroker,
  requestsUrl: string,
  responsesUrl: string,
  makerUrl: string,
) {
  return runMakerConsumer(broker, requestsUrl, responsesUrl, [
    "--maker-url",
    makerUrl,
    "--wait-seconds",
    "1",
    "--idle-timeout",
    "2",
  ]);
}

async function queueArn(broker: TestBroker, queueUrl: string): Promise<string> {
  const { Attributes } = await broker.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  return Attributes!.QueueArn!;
}

async function sendBodies(broker: TestBroker, queueUrl: string, bodies: string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const { Failed } = await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(start, start + 10).map((body, index) => ({
          Id: String(index),
          MessageBody: body,
        })),
      }),
    );
    assert.deepEqual(Failed ?? [], []);
  }
}

/** Messages visible or in flight (not delayed: nothing here is). */
async function inQueue(broker: TestBroker, queueUrl: string): Promise<number> {
  const counts = await broker.messageCounts(queueUrl);
  return (
    Number(counts?.ApproximateNumberOfMessages) +
    Number(counts?.ApproximateNumberOfMessagesNotVisible)
  );
}

async function widgetCount(maker: RunningMaker): Promise<number> {
  return (await getJson<{ widgets: number }>(`${maker.url}/health`)).json.widgets;
}

/** Every response now on the queue, hidden for a minute so a second drain sees only new ones. */
async function drain(broker: TestBroker, queueUrl: string): Promise<Response[]> {
  const responses: Response[] = [];
  for (;;) {
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return responses;
    responses.push(...Messages.map((message) => JSON.parse(message.Body!) as Response));
  }
}

async function collectDeadLetters(
  broker: TestBroker,
  dlqUrl: string,
  expected: number,
  timeoutMs: number,
): Promise<Message[]> {
  const collected: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (collected.length < expected && Date.now() < deadline) {
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 2,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    collected.push(...Messages);
  }
  assert.equal(collected.length, expected, `${expected} dead letters within ${timeoutMs} ms`);
  return collected;
}

async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
