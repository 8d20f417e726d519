import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import type { ConsumerStats } from "../../../src/apps/consumer/consumer-stats.ts";
import { addStats, emptyStats } from "../../../src/apps/consumer/consumer-stats.ts";
import { ensureWidgetTable } from "../../../src/apps/stores/ensure-widget-table.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import type { WidgetStoreOptions } from "../../../src/apps/stores/widget-store-options.ts";
import type { AwsConnection } from "../../../src/apps/aws/aws-connection.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { compareWidgets } from "../../../src/widgets/compare-widgets.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { startCli } from "../../support/cli-process.ts";
import { startDynamoServer } from "../../support/dynamo-server.ts";
import { startS3Server } from "../../support/s3-server.ts";

/**
 * The whole widget system as users run it: a producer process and three
 * consumer processes on one queue of the broker, into each kind of widget
 * store. The producer's generator knows the state its requests lead to when
 * applied in order; whatever order the queue delivers in, the consumers must
 * end there.
 */
const REQUESTS = 600;
const CONSUMERS = 3;
const DRAIN_LIMIT_MS = 90_000;

let broker: TestBroker;
const tempDirs: string[] = [];

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});
after(async () => {
  await broker.close();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

interface Run {
  expected: Map<string, Widget>;
  stats: ConsumerStats;
}

/**
 * Produces REQUESTS requests into a fresh queue while CONSUMERS consumers
 * process them into the store the flags name, until the queue is empty.
 */
async function runPipeline(options: {
  storeFlags: string[];
  serviceFlags?: string[];
  env?: NodeJS.ProcessEnv;
  fifo?: boolean;
}): Promise<Run> {
  const work = await mkdtemp(join(tmpdir(), "mailroom-e2e-"));
  tempDirs.push(work);
  const dlq = options.fifo ? await broker.createFifoQueue() : await broker.createQueue();
  const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlq.split("/").at(-1)}`;
  const redrive = {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }),
  };
  const queueUrl = options.fifo
    ? await broker.createFifoQueue(redrive)
    : await broker.createQueue(redrive);
  const common = ["--endpoint-url", broker.endpoint, ...(options.serviceFlags ?? [])];
  const consumers = Array.from({ length: CONSUMERS }, (_, index) =>
    startCli(
      [
        "consumer",
        "--request-queue",
        queueUrl,
        ...common,
        ...options.storeFlags,
        "--queue-wait-timeout",
        "1",
        // Held requests stay hidden 30 s, not 2: a consumer descheduled past its
        // renewals on a loaded host would have one come back to another consumer
        // (a FIFO group's next request then arrives before that copy: "late").
        "--queue-visibility-timeout",
        "30",
        "--stats-file",
        join(work, `consumer-${index}.json`),
        "--log-file",
        join(work, `consumer-${index}.log`),
      ],
      { env: options.env },
    ),
  );
  try {
    const expectedFile = join(work, "expected.json");
    const producer = startCli(
      [
        "producer",
        "--request-queue",
        queueUrl,
        ...common,
        "--max-widget-requests",
        String(REQUESTS),
        "--inter-request-delay",
        "0",
        "--seed",
        "5260",
        "--expected-out",
        expectedFile,
      ],
      { env: options.env },
    );
    const produced = await producer.exited;
    assert.equal(produced.code, 0, produced.stderr);

    // Then: the queue drains (nothing visible, in flight or delayed)...
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    while (
      Number(
        Object.values((await broker.messageCounts(queueUrl)) ?? {}).reduce(
          (a, b) => Number(a) + Number(b),
          0,
        ),
      ) > 0
    ) {
      assert.ok(Date.now() < deadline, "the consumers did not drain the queue in time");
      await sleep(200);
    }
    // ...every consumer stops cleanly on SIGTERM...
    // (each once it got going: one still starting would die of the signal)
    for (const consumer of consumers) await consumer.waitFor(/^Consumer \d+:/m);
    const exits = await Promise.all(consumers.map((consumer) => consumer.stop("SIGTERM")));
    for (const exit of exits) assert.equal(exit.code, 0, exit.stderr);
    // ...and nothing was set aside.
    assert.deepEqual(await broker.messageCounts(dlq), {
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      ApproximateNumberOfMessagesDelayed: "0",
    });
    let stats = emptyStats();
    for (let index = 0; index < CONSUMERS; index += 1) {
      const text = await readFile(join(work, `consumer-${index}.json`), "utf8");
      stats = addStats(stats, JSON.parse(text) as ConsumerStats);
    }
    const expectedJson = JSON.parse(await readFile(expectedFile, "utf8")) as {
      widgets: Widget[];
    };
    return { expected: new Map(expectedJson.widgets.map((widget) => [widget.id, widget])), stats };
  } finally {
    // A failed run must not leave consumers polling (they would hold the test process open).
    await Promise.all(consumers.map((consumer) => consumer.stop("SIGKILL")));
  }
}

async function storedWidgets(
  options: WidgetStoreOptions,
  connection?: AwsConnection,
): Promise<Widget[]> {
  const store = await openWidgetStore(options, connection);
  const widgets: Widget[] = [];
  for await (const widget of store.list()) widgets.push(widget);
  await store.close();
  return widgets;
}

function assertSameWidgets(expected: Map<string, Widget>, actual: Widget[]): void {
  assert.ok(expected.size > 50, `the run should leave many widgets, got ${expected.size}`);
  assert.deepEqual(compareWidgets(expected, actual), {
    matching: expected.size,
    missing: [],
    unexpected: [],
    different: [],
  });
}

describe("producer and three consumers on a standard queue", { timeout: 240_000 }, () => {
  it("end in the expected widgets in a local folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mailroom-widgets-"));
    tempDirs.push(dir);
    const run = await runPipeline({ storeFlags: ["--widget-dir", dir] });
    assertSameWidgets(run.expected, await storedWidgets({ kind: "folder", dir }));
    assert.equal(run.stats.created + run.stats.updated + run.stats.deleted, REQUESTS);
  });

  it("end in the expected widgets in an S3 bucket", async () => {
    const s3 = await startS3Server();
    try {
      const bucket = await s3.createBucket();
      const run = await runPipeline({
        storeFlags: ["--widget-bucket", bucket],
        serviceFlags: ["--s3-endpoint-url", s3.endpoint],
        // s3rver checks the key id; the broker accepts any.
        env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" },
      });
      assertSameWidgets(run.expected, await storedWidgets({ kind: "s3", bucket }, s3.connection));
    } finally {
      await s3.close();
    }
  });

  it("end in the expected widgets in a DynamoDB table", async () => {
    const dynamo = await startDynamoServer();
    try {
      await ensureWidgetTable(dynamo.client, "widgets");
      const run = await runPipeline({
        storeFlags: ["--dynamodb-widget-table", "widgets"],
        serviceFlags: ["--dynamodb-endpoint-url", dynamo.endpoint],
      });
      assertSameWidgets(
        run.expected,
        await storedWidgets({ kind: "dynamodb", table: "widgets" }, dynamo.connection),
      );
    } finally {
      await dynamo.close();
    }
  });
});

describe("on a FIFO queue with one message group per widget", { timeout: 120_000 }, () => {
  it("delivers every request in order: none arrives late", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mailroom-widgets-"));
    tempDirs.push(dir);
    const run = await runPipeline({ storeFlags: ["--widget-dir", dir], fifo: true });
    assertSameWidgets(run.expected, await storedWidgets({ kind: "folder", dir }));
    assert.equal(run.stats.lateArrivals, 0);
  });
});
