import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import { cleanUp, readLog, startConsumer, waitUntil } from "./consumer-fixture.ts";

after(cleanUp);

it("says once, not once a second per worker, that receiving fails", async () => {
  // Given a consumer with ten workers long-polling a queue
  const broker = await startTestBroker({ clock: systemClock });
  const queueUrl = await broker.createQueue({}, "outage");
  const run = startConsumer([
    ...["--request-queue", queueUrl, "--endpoint-url", broker.endpoint],
    ...["--concurrency", "10"],
  ]);
  await waitUntil("the consumer starts", () => run.cli.stdout().includes("Consumer "));
  await sleep(1_000);

  // When the broker goes away for four seconds of retries
  await broker.close();
  await sleep(4_000);
  const exit = await run.cli.stop("SIGTERM");
  assert.match(exit.stderr, /got no request done/);
  assert.doesNotMatch(exit.stderr, /MaxListenersExceeded/);

  // Then the failure is logged once (ten workers retrying every second gave ten lines a second)
  const failures = readLog(run)
    .split("\n")
    .filter((line) => line.includes("Could not receive from"));
  assert.equal(failures.length, 1, failures.join("\n"));
  assert.match(failures[0]!, /retrying every second/);
});
