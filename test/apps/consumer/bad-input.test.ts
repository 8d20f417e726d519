import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli } from "../../support/cli-process.ts";
import {
  cleanUp,
  createQueueWithDlq,
  messagesOn,
  readStats,
  readWidgets,
  receiveAll,
  replay,
  sendRequests,
  sortedValues,
  startConsumer,
  tempDir,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

/** Bad bodies and what the reason they are set aside with must say. */
const BAD_BODIES: readonly (readonly [string, RegExp])[] = [
  ['{"type":"create","requestId":', /not valid JSON/],
  ['[{"type":"create"}]', /must be a JSON object/],
  [
    JSON.stringify({ ...widgetRequest("create", "w-label"), label: 5 }),
    /label must be a string or null, got a number/,
  ],
  [
    JSON.stringify({
      ...widgetRequest("create", "w-attr"),
      otherAttributes: [{ name: "size", value: 3 }],
    }),
    /otherAttributes\[0\]\.value must be a string, got a number/,
  ],
  [
    JSON.stringify({ ...widgetRequest("update", "w-id"), widgetId: 42 }),
    /widgetId must be a string, got a number/,
  ],
  [
    JSON.stringify(widgetRequest("create", "w-owner", { owner: "Agent 007" })),
    /owner must be letters and spaces only; got "Agent 007"/,
  ],
  [JSON.stringify(widgetRequest("create", "../escape")), /widgetId must be/],
];

const STACK_FRAME = /^\s+at .+/m;

describe("the consumer on bad input", { concurrency: true }, () => {
  it("sets each invalid request aside with its reason and goes on with the good ones", async () => {
    // Given good requests with every kind of bad one between them, on a queue with a dead-letter queue
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 5);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "GOOD", description: "kept" });
    const update = widgetRequest("update", id, { label: "BETTER" });
    const another = widgetRequest("create", randomUUID(), { owner: "John Jones", label: "ALSO" });
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(create), revision: 1 },
      ...BAD_BODIES.map(([body]) => ({ body })),
      { body: JSON.stringify(update), revision: 2 },
      { body: JSON.stringify(another) },
    ]);

    // When a consumer drains the queue
    const run = startConsumer([
      "--request-queue",
      queueUrl,
      "--endpoint-url",
      broker.endpoint,
      "--retry-base-seconds",
      "1",
    ]);
    // Started first: on a busy host the CLI's start alone can take much of a wait's 30 s
    await run.cli.waitFor(/^Consumer \d+: queue /m, 60_000);
    await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);

    // Then every bad request is in the dead-letter queue with the reason for it
    const dead = await receiveAll(broker, dlqUrl);
    assert.equal(dead.length, BAD_BODIES.length);
    for (const [body, reason] of BAD_BODIES) {
      const message = dead.find((candidate) => candidate.Body === body);
      assert.ok(message, `not set aside: ${body}`);
      const attributes = message.MessageAttributes ?? {};
      assert.match(attributes["set-aside-reason"]?.StringValue ?? "(none)", reason);
      assert.match(attributes["set-aside-reason"]!.StringValue!, /^invalid request: /);
    }
    // And the good ones around them were applied
    assert.deepEqual(
      sortedValues(await readWidgets(run.widgetDir)),
      sortedValues(replay([create, update, another])),
    );
    // And the consumer is still running, and still processing
    assert.equal(run.cli.child.exitCode, null);
    const late = widgetRequest("create", randomUUID(), { owner: "Sue Smith", label: "LATE" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(late) }]);
    await waitUntil("the late request to be applied", async () =>
      (await readWidgets(run.widgetDir)).has(late.widgetId),
    );
    // And it stops cleanly on SIGTERM, having counted what it did
    const exit = await run.cli.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    const stats = readStats(run.statsFile)!;
    assert.deepEqual(stats.setAside, { invalid: BAD_BODIES.length });
    assert.equal(stats.created, 3);
    assert.equal(stats.updated, 1);
    assert.equal(stats.errors, 0);
  });

  it("sets a request its store can never hold aside on its first receive, with the reason", async () => {
    // Given a create whose owner is too long for a file name (valid by the
    // course's rules), then a good request, on a queue with a dead-letter queue
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 5);
    const tooLong = widgetRequest("create", randomUUID(), { owner: "A".repeat(300) });
    const good = widgetRequest("create", randomUUID(), { label: "GOOD" });
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(tooLong) },
      { body: JSON.stringify(good) },
    ]);

    // When a consumer into a folder drains the queue
    const run = startConsumer(["--request-queue", queueUrl, "--endpoint-url", broker.endpoint]);
    await run.cli.waitFor(/^Consumer \d+: queue /m, 60_000);
    await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);

    // Then the long one is in the dead-letter queue with the reason, not retried
    const [dead, ...more] = await receiveAll(broker, dlqUrl);
    assert.equal(more.length, 0);
    assert.equal(dead?.Body, JSON.stringify(tooLong));
    assert.match(
      dead.MessageAttributes?.["set-aside-reason"]?.StringValue ?? "(none)",
      /^the CREATE request for \S+ cannot be stored: its file name, with owner "A{57}\.\.\.", is longer than the file system under \S+ allows$/,
    );
    // And the good one was applied
    assert.deepEqual([...(await readWidgets(run.widgetDir)).keys()], [good.widgetId]);
    const exit = await run.cli.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    const stats = readStats(run.statsFile)!;
    assert.deepEqual(stats.setAside, { unstorable: 1 });
    assert.equal(stats.created, 1);
    assert.equal(stats.errors, 0);
  });

  it("on a queue without a dead-letter queue, hides an invalid request once and goes on", async () => {
    // Given a queue with no dead-letter queue: a bad request, then a good one
    const queueUrl = await broker.createQueue({}, "no-dlq");
    const good = widgetRequest("create", randomUUID(), { label: "GOOD" });
    await sendRequests(broker, queueUrl, [
      { body: '{"type":"bad","requestId":"r","widgetId":"x","owner":"Sue Smith"}' },
      { body: JSON.stringify(good) },
    ]);

    // When a consumer with a 1 s visibility timeout drains it, and 4 s pass
    const run = startConsumer([
      "--request-queue",
      queueUrl,
      "--endpoint-url",
      broker.endpoint,
      "--queue-visibility-timeout",
      "1",
    ]);
    await run.cli.waitFor(/^Consumer \d+: queue /m, 60_000);
    await waitUntil("the good request to be applied", async () =>
      (await readWidgets(run.widgetDir)).has(good.widgetId),
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000));

    // Then the bad one is still hidden on the queue, set aside once: hiding
    // it asks for what is left of the 12 h since its receive (12 h
    // more is refused, and it would come back every second)
    assert.deepEqual(await broker.messageCounts(queueUrl), {
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessagesDelayed: "0",
    });
    const exit = await run.cli.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    const stats = readStats(run.statsFile)!;
    assert.deepEqual(stats.setAside, { invalid: 1 });
    assert.equal(stats.errors, 0);
  });

  it("says in one line what is wrong with its flags, and exits 2", async () => {
    const widgetDir = join(tempDir(), "widgets");
    const exits = await Promise.all([
      runCli([
        "consumer",
        "--request-dir",
        tempDir(),
        "--widget-dir",
        widgetDir,
        "--concurrency",
        "0",
      ]),
      runCli([
        "consumer",
        "--request-dir",
        tempDir(),
        "--request-queue",
        "q",
        "--widget-dir",
        widgetDir,
      ]),
      runCli(["consumer", "--request-dir", tempDir()]),
      runCli([
        "consumer",
        "--request-dir",
        tempDir(),
        "--widget-dir",
        widgetDir,
        "--max-receives",
        "many",
      ]),
    ]);
    const lines = [
      /^mailroom: --concurrency must be a whole number, 1 to 256; got "0"\n$/,
      /^mailroom: give exactly one request source: --request-queue, --request-bucket or --request-dir\n$/,
      /^mailroom: give exactly one widget store: --widget-bucket, --dynamodb-widget-table or --widget-dir\n$/,
      /^mailroom: --max-receives must be a whole number, 1 to 1000; got "many"\n$/,
    ];
    exits.forEach((exit, index) => {
      assert.equal(exit.code, 2, exit.stderr);
      assert.match(exit.stderr, lines[index]!);
      assert.doesNotMatch(exit.stderr, STACK_FRAME);
      assert.equal(exit.stdout, "");
    });
  });

  it("stops at start with one line and exit 1 when the endpoint does not serve its store", async () => {
    // Given a queue with a request on it, and the broker given as the DynamoDB
    // and S3 endpoint too (it speaks SQS only)
    const QueueUrl = await broker.createQueue();
    await sendRequests(broker, QueueUrl, [
      { body: JSON.stringify(widgetRequest("create", randomUUID())) },
    ]);
    for (const [store, pattern] of [
      [["--dynamodb-widget-table", "widgets"], /DynamoDB_20120810\.GetItem is not supported/],
      [["--widget-bucket", "widgets"], /answered HTTP 404, not as S3 does/],
    ] as const) {
      // When a consumer starts
      const exit = await runCli([
        "consumer",
        "--request-queue",
        QueueUrl,
        ...store,
        "--endpoint-url",
        broker.endpoint,
        "--max-runtime",
        "5000",
      ]);

      // Then it refuses in one line, and took nothing off the queue
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stderr, /^mailroom: cannot use the widget store \S+ \((DynamoDB|S3)\): /);
      assert.match(exit.stderr, pattern);
      assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
      assert.equal(exit.stdout, "");
    }
    assert.equal(await messagesOn(broker, QueueUrl), 1);
  });

  it("names a missing queue as the course's practical does, and exits 1", async () => {
    const name = broker.uniqueName("no-such-queue");
    const exit = await runCli([
      "consumer",
      "--request-queue",
      name,
      "--widget-dir",
      join(tempDir(), "widgets"),
      "--endpoint-url",
      broker.endpoint,
    ]);
    assert.equal(exit.code, 1, exit.stderr);
    assert.equal(exit.stderr, `mailroom: Unable to find a Queue by this name ${name}\n`);
  });
});
