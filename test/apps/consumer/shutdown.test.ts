import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ChangeMessageVisibilityBatchCommand } from "@aws-sdk/client-sqs";
import { createRequestGenerator } from "../../../src/apps/producer/request-generator.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  STOPPED_LINE,
  cleanUp,
  createQueueWithDlq,
  messagesOn,
  readLog,
  readStats,
  readWidgets,
  receiveAll,
  sendRequests,
  sortedValues,
  startConsumer,
  waitUntil,
} from "./consumer-fixture.ts";
import type { ConsumerRun } from "./consumer-fixture.ts";

const TOTAL = 600;

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

/**
 * A consumer of `queueUrl`, once it is up: the test's timed waits start then,
 * not while a busy host starts it. Its requests stay hidden 30 s, not the
 * course's 2 s: a consumer descheduled for 2 s would receive again requests
 * it holds, and count a duplicate.
 */
async function consume(queueUrl: string, widgetDir?: string): Promise<ConsumerRun> {
  const run = startConsumer(
    [
      "--request-queue",
      queueUrl,
      "--endpoint-url",
      broker.endpoint,
      "--queue-visibility-timeout",
      "30",
      "--retry-base-seconds",
      "1",
      "--retry-max-seconds",
      "1",
    ],
    widgetDir === undefined ? {} : { widgetDir },
  );
  await run.cli.waitFor(/^Consumer \d+: queue /m, 120_000);
  return run;
}

/** Request ids of the requests the consumer's log says it applied (`Processing a CREATE request ...`). */
function appliedRequestIds(run: ConsumerRun): string[] {
  return readLog(run)
    .split("\n")
    .filter((line) => line.includes('"msg":"Processing '))
    .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
}

describe("the consumer stopped by SIGTERM", () => {
  it("finishes what it holds, exits 0, and loses or repeats nothing", async (t) => {
    // Given 600 produced requests (with revisions) on a queue with a dead-letter queue
    const generator = createRequestGenerator({ seed: 7_000_001 });
    const produced = Array.from({ length: TOTAL }, () => generator.next());
    const allIds = produced.map(({ request }) => request.requestId).sort();
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    await sendRequests(
      broker,
      queueUrl,
      produced.map(({ body, revision }) => ({ body, revision })),
    );

    // When a consumer is stopped with SIGTERM once it has received some of them
    const first = await consume(queueUrl);
    await waitUntil(
      "the consumer to get going",
      () => (readStats(first.statsFile)?.received ?? 0) >= 30,
    );
    const exit = await first.cli.stop("SIGTERM");

    // Then it exits 0 with its final line, before having done everything
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.signal, null);
    const finalLine = exit.stdout.match(STOPPED_LINE);
    assert.ok(finalLine, exit.stdout);
    const stats = readStats(first.statsFile)!;
    assert.equal(Number(finalLine[1]), stats.received);
    const applied = appliedRequestIds(first);
    assert.equal(applied.length, stats.created + stats.updated + stats.deleted);
    assert.equal(stats.duplicates, 0);
    assert.ok(applied.length < TOTAL, "the consumer finished before SIGTERM: nothing was tested");
    t.diagnostic(
      `applied ${applied.length} of ${TOTAL} (${stats.received} received) before stopping`,
    );

    // And once the messages it released (or handed back) are visible again,
    // exactly the requests it did not apply are left on the queue
    // (those of a receive its stop cut short on the wire come back after their 30 s)
    await waitUntil(
      "released messages to be visible again",
      async () =>
        Number((await broker.messageCounts(queueUrl))?.ApproximateNumberOfMessages) ===
        (await messagesOn(broker, queueUrl)),
      45_000,
    );
    const left = await receiveAll(broker, queueUrl);
    const leftIds = left.map((message) => (JSON.parse(message.Body!) as WidgetRequest).requestId);
    assert.equal(left.length + applied.length, TOTAL);
    assert.deepEqual([...leftIds, ...applied].sort(), allIds);
    assert.equal(await messagesOn(broker, dlqUrl), 0);

    // And a second consumer, given what was left, ends with the widgets of all 600 requests
    for (let start = 0; start < left.length; start += 10) {
      await broker.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: left.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    const second = await consume(queueUrl, first.widgetDir);
    await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);
    const secondExit = await second.cli.stop("SIGTERM");
    assert.equal(secondExit.code, 0, secondExit.stderr);
    const secondStats = readStats(second.statsFile)!;
    assert.equal(secondStats.duplicates, 0);
    assert.deepEqual(
      sortedValues(await readWidgets(first.widgetDir)),
      sortedValues(generator.expectedWidgets()),
    );
  });
});
