import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  cleanUp,
  messagesOn,
  readStats,
  sendRequests,
  startConsumer,
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

describe("the consumer's --stats-file", () => {
  it("holds the running totals once the consumer is idle", async () => {
    // Given a running consumer, idle on an empty queue
    const queueUrl = await broker.createQueue();
    const run = startConsumer(["--request-queue", queueUrl, "--endpoint-url", broker.endpoint]);
    await run.cli.waitFor(/^Consumer \d+: queue /m);
    // When a burst of 5 creates comes and is processed
    const creates = Array.from({ length: 5 }, () => widgetRequest("create", randomUUID()));
    await sendRequests(
      broker,
      queueUrl,
      creates.map((request) => ({ body: JSON.stringify(request) })),
    );
    await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);
    await sleep(1_000);
    // Then, a second later, the file says so while the consumer still runs
    const whileRunning = readStats(run.statsFile);
    const exit = await run.cli.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(readStats(run.statsFile)?.created, 5);
    assert.equal(whileRunning?.created, 5, JSON.stringify(whileRunning));
  });
});
