import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { createSeededRandom } from "../../../src/apps/producer/seeded-random.ts";
import type { SeededRandom } from "../../../src/apps/producer/seeded-random.ts";
import { SET_ASIDE_REASON_ATTRIBUTE } from "../../../src/apps/sources/sqs-request-source.ts";
import { ensureWidgetTable } from "../../../src/apps/stores/ensure-widget-table.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import type { WidgetStoreOptions } from "../../../src/apps/stores/widget-store-options.ts";
import type { AwsConnection } from "../../../src/apps/aws/aws-connection.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { COURSE_SAMPLES_DIR } from "../../support/course-samples.ts";
import { startDynamoServer } from "../../support/dynamo-server.ts";
import { startS3Server } from "../../support/s3-server.ts";
import {
  cleanUp,
  createQueueWithDlq,
  messagesOn,
  readStats,
  receiveAll,
  replay,
  requestsInFolder,
  sendRequests,
  sortedValues,
  startConsumer,
  tempDir,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";
import type { ConsumerRun, OutgoingRequest } from "./consumer-fixture.ts";

/**
 * The consumer's promise, over real processes: whatever order a standard
 * queue delivers requests in, however often, and however many consumers
 * share the work, the widgets end as the requests applied once each in the
 * order they were produced; nothing valid is set aside; the queue drains.
 */

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

/** The course's 35 samples, named by their millisecond keys (three of them bad). */
const SAMPLE_KEYS = readdirSync(COURSE_SAMPLES_DIR).sort();
const sampleBody = (key: string) => readFileSync(join(COURSE_SAMPLES_DIR, key), "utf8");

/** The widgets must be the good samples applied in key order (widget ad0bb9e1 ends with length 649). */
function assertSamplesApplied(widgets: ReadonlyMap<string, Widget>): void {
  const good = SAMPLE_KEYS.flatMap((key) => {
    const parsed = parseWidgetRequest(sampleBody(key));
    return parsed.ok ? [parsed.request] : [];
  });
  assert.equal(good.length, 32);
  assert.deepEqual(canonical(widgets), canonical(replay(good)));
  const length = widgets
    .get("ad0bb9e1-28e9-46e0-ad08-8192f4d3b6c6")
    ?.otherAttributes.find(({ name }) => name === "length")?.value;
  assert.equal(length, "649");
}

/** A queue (with a dead-letter queue) and `count` consumers of it sharing one store. */
async function consumersOf(
  count: number,
  store: { widgetDir?: string; storeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
) {
  const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
  const widgetDir = store.widgetDir ?? join(tempDir(), "widgets");
  const start = () =>
    startConsumer(["--request-queue", queueUrl, "--endpoint-url", broker.endpoint], {
      widgetDir,
      storeFlags: store.storeFlags,
      env: store.env,
      maxRuntimeMs: 120_000,
    });
  const runs: ConsumerRun[] = Array.from({ length: count }, start);
  return { queueUrl, dlqUrl, widgetDir, runs, start };
}

/** Waits for the queue to empty, stops every consumer still running, and checks nothing was set aside. */
async function drain(
  queueUrl: string,
  dlqUrl: string,
  runs: readonly ConsumerRun[],
  timeoutMs = 90_000,
): Promise<void> {
  await waitUntil(
    "the queue to drain",
    async () => (await messagesOn(broker, queueUrl)) === 0,
    timeoutMs,
  );
  for (const run of runs) {
    // One that never got to start (its signal handlers not in place yet) would die of the signal.
    if (run.cli.child.signalCode === null) await run.cli.waitFor(/^Consumer \d+:/m);
    const exit = await run.cli.stop("SIGTERM");
    if (exit.signal === "SIGKILL") continue;
    assert.equal(exit.code, 0, `${exit.signal ?? ""} ${exit.stderr}`);
    assert.deepEqual(readStats(run.statsFile)?.setAside, {}, "nothing set aside");
  }
  assert.equal((await receiveAll(broker, dlqUrl)).length, 0, "the dead-letter queue is empty");
}

/**
 * Stops the consumers (each once it got going) and returns how many invalid requests they set
 * aside, and every kind of set-aside (and error) each counted, for a failure to name its cause.
 */
async function stopAndCountInvalid(
  runs: readonly ConsumerRun[],
): Promise<{ invalid: number; setAside: string }> {
  let invalid = 0;
  const kinds: string[] = [];
  for (const run of runs) {
    await run.cli.waitFor(/^Consumer \d+:/m);
    const exit = await run.cli.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    const stats = readStats(run.statsFile)!;
    invalid += stats.setAside.invalid ?? 0;
    kinds.push(
      `consumer ${run.cli.child.pid}: ${JSON.stringify(stats.setAside)}, ${stats.errors} errors`,
    );
  }
  return { invalid, setAside: kinds.join("; ") };
}

/** Each dead-letter message as its body's start and its set-aside reason, one a line. */
function describeSetAside(messages: readonly Message[]): string {
  return messages
    .map(
      (message) =>
        `${JSON.stringify(message.Body?.slice(0, 60))}: ${message.MessageAttributes?.[SET_ASIDE_REASON_ATTRIBUTE]?.StringValue ?? "(no reason)"}`,
    )
    .join("\n");
}

/** The widgets a store holds, by id. */
async function widgetsIn(
  options: WidgetStoreOptions,
  connection?: AwsConnection,
): Promise<Map<string, Widget>> {
  const store = await openWidgetStore(options, connection);
  try {
    const widgets = new Map<string, Widget>();
    for await (const widget of store.list()) widgets.set(widget.id, widget);
    return widgets;
  } finally {
    await store.close();
  }
}

/** Other-attributes in name order: the course gives their order no meaning. */
function canonical(widgets: ReadonlyMap<string, Widget>): Widget[] {
  return sortedValues(widgets).map((widget) => ({
    ...widget,
    otherAttributes: [...widget.otherAttributes].sort((a, b) => (a.name < b.name ? -1 : 1)),
  }));
}

/**
 * Sends each body as its own message, each once the clock has moved past the
 * one before, so every `SentTimestamp` differs and follows production order
 * (as the course's producer, which waits 100 ms between requests).
 */
async function sendInOrder(queueUrl: string, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) {
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const sentBy = Date.now();
    while (Date.now() <= sentBy) await sleep(1);
  }
}

/**
 * Five widgets, then `updates` updates spread over them at random, each with
 * its widget's next revision (as Mailroom's producer numbers them): labels
 * `L1`, `L2`... and attributes set and cleared.
 */
function hotWidgets(random: SeededRandom, updates: number) {
  const widgets = Array.from({ length: 5 }, () => ({ id: randomUUID(), revision: 1 }));
  const produced: { request: WidgetRequest; revision: number }[] = widgets.map(({ id }) => ({
    request: widgetRequest("create", id, {
      label: "L0",
      otherAttributes: [{ name: "color", value: "red" }],
    }),
    revision: 1,
  }));
  for (let i = 1; i <= updates; i += 1) {
    const target = widgets[Math.floor(random.next() * widgets.length)]!;
    target.revision += 1;
    const attribute = ["color", "size", "note"][i % 3]!;
    produced.push({
      request: widgetRequest("update", target.id, {
        label: `L${i}`,
        otherAttributes: [{ name: attribute, value: random.chance(0.2) ? "" : `v${i}` }],
      }),
      revision: target.revision,
    });
  }
  return produced;
}

function shuffled<T>(random: SeededRandom, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function asOutgoing(produced: readonly { request: WidgetRequest; revision: number }[]) {
  return produced.map(({ request, revision }): OutgoingRequest => ({
    body: JSON.stringify(request),
    revision,
  }));
}

// The whole run's bound per test (--test-timeout): five consumers' runs on a loaded host took over 300 s.
describe("the consumer under any delivery", { timeout: 600_000 }, () => {
  for (const consumers of [1, 2, 4]) {
    it(`600 interleaved updates to 5 widgets, sent shuffled, with ${consumers} consumer(s), end in order`, async () => {
      // Given 5 widgets' creates and 600 numbered updates, on the queue in a random order
      const random = createSeededRandom(600 + consumers);
      const produced = hotWidgets(random, 600);
      const { queueUrl, dlqUrl, widgetDir, runs } = await consumersOf(consumers);

      // When the consumers drain the queue
      await sendRequests(broker, queueUrl, asOutgoing(shuffled(random, produced)));
      await drain(queueUrl, dlqUrl, runs);

      // Then every widget is its requests applied in production order
      const expected = replay(produced.map(({ request }) => request));
      assert.deepEqual(
        canonical(await widgetsIn({ kind: "folder", dir: widgetDir })),
        canonical(expected),
      );
      const labels = [...expected.values()].map((widget) => Number(widget.label!.slice(1)));
      assert.ok(Math.max(...labels) >= 590, "the last updates are among them");
    });
  }

  it("the course's samples, sent in one burst to two consumers, end as applied in key order", async () => {
    // Given the samples, sent one message each in the order of their keys (the course's
    // producer order); SQS refuses the empty one, which only a bucket can hold
    const bodies = SAMPLE_KEYS.map(sampleBody).filter((body) => body !== "");
    const { queueUrl, dlqUrl, widgetDir, runs } = await consumersOf(2);

    // When two consumers take them
    await sendInOrder(queueUrl, bodies);
    await waitUntil("the queue to drain", async () => (await messagesOn(broker, queueUrl)) === 0);
    const { invalid, setAside } = await stopAndCountInvalid(runs);

    // Then the widgets are the good samples applied in key order; only the 2 bad ones were set aside
    assertSamplesApplied(await widgetsIn({ kind: "folder", dir: widgetDir }));
    const deadLetters = await receiveAll(broker, dlqUrl);
    const why = `set aside: ${setAside}\ndead-letter queue:\n${describeSetAside(deadLetters)}`;
    assert.equal(invalid, 2, why);
    assert.equal(deadLetters.length, 2, why);
  });

  it("all 35 samples dropped at once into a request folder, taken by two consumers, end as applied in key order", async () => {
    // Given the 35 samples in a request folder, named by their keys
    const requestDir = join(tempDir(), "requests");
    mkdirSync(requestDir);
    for (const key of SAMPLE_KEYS)
      copyFileSync(join(COURSE_SAMPLES_DIR, key), join(requestDir, key));
    const widgetDir = join(tempDir(), "widgets");

    // When two consumers take them at once
    const runs = [1, 2].map(() =>
      startConsumer(["--request-dir", requestDir], { widgetDir, maxRuntimeMs: 60_000 }),
    );
    await waitUntil("the folder to empty", () => requestsInFolder(requestDir) === 0);
    const { invalid, setAside } = await stopAndCountInvalid(runs);

    // Then the widgets are the good samples applied in key order; the 3 bad ones were set aside
    assertSamplesApplied(await widgetsIn({ kind: "folder", dir: widgetDir }));
    assert.equal(invalid, 3, `set aside: ${setAside}`);
  });

  it("plain requests sent again later (creates, updates, deletes, creates after their delete) change nothing", async () => {
    // Given 20 plain widgets, each created, updated twice, and every other one deleted
    const random = createSeededRandom(35);
    const requests: WidgetRequest[] = [];
    const ids = Array.from({ length: 20 }, () => randomUUID());
    for (const id of ids) requests.push(widgetRequest("create", id, { label: "created" }));
    for (const round of [1, 2]) {
      for (const id of shuffled(random, ids)) {
        requests.push(
          widgetRequest("update", id, {
            label: `round ${round}`,
            otherAttributes: [{ name: `r${round}`, value: "set" }],
          }),
        );
      }
    }
    for (const id of ids.filter((_, i) => i % 2 === 0)) requests.push(widgetRequest("delete", id));
    // And copies of creates, updates and deletes sent afterwards, the creates of deleted widgets among them
    const copies = [
      ...requests.filter((request) => request.type === "create"),
      ...shuffled(
        random,
        requests.filter((request) => request.type === "update"),
      ).slice(0, 15),
      ...requests.filter((request) => request.type === "delete").slice(0, 5),
    ];
    const { queueUrl, dlqUrl, widgetDir, runs } = await consumersOf(2);

    // When they are sent in that order to two consumers
    await sendInOrder(
      queueUrl,
      [...requests, ...shuffled(random, copies)].map((request) => JSON.stringify(request)),
    );
    await drain(queueUrl, dlqUrl, runs);

    // Then the widgets are the originals applied once, in order: no copy undid or revived anything
    const widgets = await widgetsIn({ kind: "folder", dir: widgetDir });
    assert.deepEqual(canonical(widgets), canonical(replay(requests)));
    assert.equal(widgets.size, 10);
    const duplicates = runs.reduce((sum, run) => sum + readStats(run.statsFile)!.duplicates, 0);
    assert.ok(duplicates >= copies.length, `${duplicates} duplicates recognised`);
  });

  it("a consumer killed with SIGKILL mid-run, and another started, still end in order", async () => {
    // Given 600 shuffled updates to 5 widgets and two consumers
    const random = createSeededRandom(9);
    const produced = hotWidgets(random, 600);
    const { queueUrl, dlqUrl, widgetDir, runs, start } = await consumersOf(2);
    await sendRequests(broker, queueUrl, asOutgoing(shuffled(random, produced)));

    // When one is killed once it has taken 100 requests, and a new one takes its place
    await waitUntil(
      "the first consumer to take 100 requests",
      () => (readStats(runs[0]!.statsFile)?.received ?? 0) >= 100,
      60_000,
      20,
    );
    await runs[0]!.cli.stop("SIGKILL");
    const replacement = start();
    await drain(queueUrl, dlqUrl, [...runs, replacement]);

    // Then nothing was lost or applied out of order
    const expected = replay(produced.map(({ request }) => request));
    assert.deepEqual(
      canonical(await widgetsIn({ kind: "folder", dir: widgetDir })),
      canonical(expected),
    );
  });

  it("two consumers on one S3 bucket lose no change of a hot widget", async () => {
    const s3 = await startS3Server();
    try {
      const bucket = await s3.createBucket();
      const random = createSeededRandom(3);
      const produced = hotWidgets(random, 120);
      const { queueUrl, dlqUrl, runs } = await consumersOf(2, {
        storeFlags: ["--widget-bucket", bucket, "--s3-endpoint-url", s3.endpoint],
        // s3rver checks the key id; the broker accepts any.
        env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" },
      });

      await sendRequests(broker, queueUrl, asOutgoing(shuffled(random, produced)));
      await drain(queueUrl, dlqUrl, runs);

      const expected = replay(produced.map(({ request }) => request));
      assert.deepEqual(
        canonical(await widgetsIn({ kind: "s3", bucket }, s3.connection)),
        canonical(expected),
      );
    } finally {
      await s3.close();
    }
  });

  it("two consumers on one DynamoDB table lose no change of a hot widget", async () => {
    const dynamo = await startDynamoServer();
    try {
      await ensureWidgetTable(dynamo.client, "widgets");
      const random = createSeededRandom(4);
      const produced = hotWidgets(random, 120);
      const { queueUrl, dlqUrl, runs } = await consumersOf(2, {
        storeFlags: [
          "--dynamodb-widget-table",
          "widgets",
          "--dynamodb-endpoint-url",
          dynamo.endpoint,
        ],
      });

      await sendRequests(broker, queueUrl, asOutgoing(shuffled(random, produced)));
      await drain(queueUrl, dlqUrl, runs);

      const expected = replay(produced.map(({ request }) => request));
      assert.deepEqual(
        canonical(await widgetsIn({ kind: "dynamodb", table: "widgets" }, dynamo.connection)),
        canonical(expected),
      );
    } finally {
      await dynamo.close();
    }
  });
});
