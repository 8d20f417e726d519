import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { createRequestGenerator } from "../../../src/apps/producer/request-generator.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliExit } from "../../support/cli-process.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import type { StallingProxy } from "../../support/stalling-proxy.ts";
import {
  STOPPED_LINE,
  cleanUp,
  readStats,
  sendRequests,
  startConsumer,
  tempDir,
  waitUntil,
} from "./consumer-fixture.ts";

/**
 * A consumer whose broker stops answering (paused with `kill -STOP`: the
 * stalling proxy passes nothing on any more) is a service: it says so and
 * keeps trying, and a stop is not held for ever by calls nobody answers.
 * SQS gets 10 s per call; a test waits at most 30 s for what should follow.
 */
const NO_ANSWER_MS = 30_000;

let broker: TestBroker;
const proxies: StallingProxy[] = [];

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await broker.close();
});

/** A proxy to the broker, closed after the file's tests. */
async function proxyToBroker(): Promise<StallingProxy> {
  const proxy = await startStallingProxy(broker.endpoint);
  proxies.push(proxy);
  return proxy;
}

describe("the consumer when SQS stops answering", { concurrency: true }, () => {
  it("says SQS did not answer its receive and keeps trying, then stops at once", async () => {
    // Given a consumer long-polling an empty queue, through a proxy to the broker
    const queueUrl = await broker.createQueue({}, "no-answer-idle");
    const queueName = queueUrl.split("/").at(-1)!;
    const proxy = await proxyToBroker();
    // Its log on stderr, as it comes (a --log-file is written in blocks).
    const cli = startCli([
      ...["consumer", "--request-queue", queueName, "--endpoint-url", proxy.endpoint],
      ...["--widget-dir", join(tempDir(), "widgets"), "--queue-wait-timeout", "1"],
      ...["--log-format", "text"],
    ]);
    try {
      await cli.waitFor(/^Consumer /m);

      // When the broker stops answering
      proxy.stall();

      // Then the log says SQS did not answer, once its wait and 10 s are over
      const line = await cli.waitFor(/^.*SQS did not answer.*$/m, NO_ANSWER_MS, "stderr");
      assert.match(
        line[0],
        new RegExp(
          `error: Could not receive from queue ${queueName}; retrying every second: ` +
            `SQS did not answer within 10 s \\(receive from ${queueName}\\)$`,
        ),
      );

      // And it keeps trying, and stops at once when told to, with the outage's exit
      assert.equal(cli.child.exitCode, null);
      const exit = await exitWithin(cli.stop("SIGTERM"), 5_000);
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stderr, /got no request done/);
      assert.doesNotMatch(exit.stderr, /Receiving from queue .* again/);
    } finally {
      cli.child.kill("SIGKILL");
    }
  });

  it("stops within its calls' deadlines when the broker stops answering mid-batch", async () => {
    // Given a consumer working through 600 requests
    const queueUrl = await broker.createQueue({}, "no-answer-busy");
    const queueName = queueUrl.split("/").at(-1)!;
    const generator = createRequestGenerator({ seed: 7_000_002 });
    await sendRequests(
      broker,
      queueUrl,
      Array.from({ length: 600 }, () => generator.next()),
    );
    const proxy = await proxyToBroker();
    const run = startConsumer(["--request-queue", queueName, "--endpoint-url", proxy.endpoint]);
    await waitUntil(
      "the consumer to get going",
      () => (readStats(run.statsFile)?.received ?? 0) >= 30,
    );

    // When the broker stops answering while its deletes and renewals are on the wire,
    // and the consumer is told to stop
    proxy.stall();
    await sleep(1_000);
    const exit = await exitWithin(run.cli.stop("SIGTERM"), NO_ANSWER_MS);

    // Then it stops, with its final line, instead of waiting for ever for SQS
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, STOPPED_LINE);
  });
});

/** The exit, or a failure if it takes longer than `ms` (the process is then killed by `cleanUp`). */
async function exitWithin(exit: Promise<CliExit>, ms: number): Promise<CliExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the consumer did not exit within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([exit, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
