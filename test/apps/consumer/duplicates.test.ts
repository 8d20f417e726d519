import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createRequestGenerator } from "../../../src/apps/producer/request-generator.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { widgetFromCreate } from "../../../src/widgets/widget.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  cleanUp,
  messagesOn,
  readStats,
  readWidgets,
  sendRequests,
  sortedValues,
  startConsumer,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";
import type { OutgoingRequest } from "./consumer-fixture.ts";

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

/**
 * Runs one consumer on the queue until it is empty, stops it with SIGTERM, returns its totals and widgets.
 * The queue's emptying is awaited once the consumer is up, not while a busy host starts it; its
 * requests stay hidden 30 s, not the course's 2 s: a consumer descheduled for 2 s would receive
 * again requests it holds, and count a duplicate more.
 */
async function consumeAll(queueUrl: string) {
  const run = startConsumer([
    "--request-queue",
    queueUrl,
    "--endpoint-url",
    broker.endpoint,
    "--queue-visibility-timeout",
    "30",
    "--retry-base-seconds",
    "1",
    "--retry-max-seconds",
    "2",
  ]);
  await run.cli.waitFor(/^Consumer \d+: queue /m, 120_000);
  await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);
  const exit = await run.cli.stop("SIGTERM");
  assert.equal(exit.code, 0, exit.stderr);
  return { stats: readStats(run.statsFile)!, widgets: await readWidgets(run.widgetDir) };
}

describe("the consumer on duplicate deliveries", { concurrency: true }, () => {
  it("applies each numbered request once and acknowledges its copy as a duplicate", async () => {
    // Given 30 produced requests, each sent twice with the same body and revision:
    // every other one with its copy right behind it (the same receive batch), the rest copied at the end
    const generator = createRequestGenerator({ seed: 20_260_521 });
    const produced = Array.from({ length: 30 }, () => generator.next());
    const once = produced.map(({ body, revision }): OutgoingRequest => ({ body, revision }));
    const queueUrl = await broker.createQueue();
    await sendRequests(broker, queueUrl, [
      ...once.flatMap((request, index) => (index % 2 === 0 ? [request, request] : [request])),
      ...once.filter((_, index) => index % 2 === 1),
    ]);

    // When one consumer takes all 60 messages
    const { stats, widgets } = await consumeAll(queueUrl);

    // Then the widgets are those the 30 requests make, applied once each in order
    assert.deepEqual(sortedValues(widgets), sortedValues(generator.expectedWidgets()));
    // And each request was applied once and its copy acknowledged without a change
    const counts = generator.counts();
    assert.equal(stats.created, counts.create);
    assert.equal(stats.updated, counts.update);
    assert.equal(stats.deleted, counts.delete);
    assert.equal(stats.duplicates, 30);
    assert.deepEqual(stats.setAside, {});
  });

  it("leaves one widget for the same unnumbered create delivered three times", async () => {
    // Given one create (no revision, as the course's samples) sent three times
    const create = widgetRequest("create", randomUUID(), {
      owner: "Henry Hops",
      label: "ONCE",
      otherAttributes: [{ name: "color", value: "green" }],
    });
    const body = JSON.stringify(create);
    const queueUrl = await broker.createQueue();
    await sendRequests(broker, queueUrl, [{ body }, { body }, { body }]);

    // When one consumer takes them
    const { stats, widgets } = await consumeAll(queueUrl);

    // Then there is exactly one widget, the create's (an unnumbered create simply writes it again)
    assert.deepEqual(sortedValues(widgets), [widgetFromCreate(create)]);
    assert.equal(stats.received, 3);
    assert.equal(stats.created + stats.duplicates, 3);
    assert.deepEqual(stats.setAside, {});
  });
});
