import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliExit, CliProcess } from "../../support/cli-process.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import type { StallingProxy } from "../../support/stalling-proxy.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { createRequest } from "./maker-process.ts";

/**
 * A maker consumer whose broker stops answering (the stalling proxy passes
 * nothing on any more, as a broker under `kill -STOP`): it is a service, so
 * it says so and keeps trying, and a stop is not held for ever by a call
 * nobody answers. SQS gets 10 s per call; a test waits at most 30 s.
 */
const NO_ANSWER_MS = 30_000;

let broker: TestBroker;
const proxies: StallingProxy[] = [];
const processes: CliProcess[] = [];

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  for (const cli of processes) await cli.stop("SIGKILL");
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await broker.close();
});

/** `mailroom maker-consumer` through a fresh proxy to the broker, once it has started. */
async function startConsumer(
  name: string,
  makerUrl = "http://127.0.0.1:9",
): Promise<{
  cli: CliProcess;
  proxy: StallingProxy;
  requestsUrl: string;
  requests: string;
  responses: string;
}> {
  const requestsUrl = await broker.createQueue({}, `${name}-requests`);
  const responsesUrl = await broker.createQueue({}, `${name}-responses`);
  const [requests, responses] = [requestsUrl, responsesUrl].map((url) => url.split("/").at(-1)!);
  const proxy = await startStallingProxy(broker.endpoint);
  proxies.push(proxy);
  const cli = startCli([
    ...["maker-consumer", "--endpoint-url", proxy.endpoint, "--log-format", "text"],
    ...["--request-queue", requests!, "--response-queue", responses!],
    ...["--maker-url", makerUrl, "--wait-seconds", "1"],
  ]);
  processes.push(cli);
  await cli.waitFor(/^Maker consumer: /m);
  // Its last word before it receives: its queue has no redrive policy.
  await cli.waitFor(/no redrive policy/, undefined, "stderr");
  return { cli, proxy, requestsUrl, requests: requests!, responses: responses! };
}

describe("the maker consumer when SQS stops answering", { concurrency: true }, () => {
  it("says SQS did not answer its receive and keeps trying, then stops at once", async () => {
    // Given a maker consumer long-polling an empty request queue
    const { cli, proxy, requests } = await startConsumer("no-answer-idle");

    // When the broker stops answering
    proxy.stall();

    // Then it warns that SQS did not answer, once the poll's wait and 10 s are over
    const line = await cli.waitFor(/^.*SQS did not answer.*$/m, NO_ANSWER_MS, "stderr");
    assert.match(
      line[0],
      new RegExp(
        "warning: cannot receive widget requests; trying again shortly: " +
          `SQS did not answer within 10 s \\(receive from ${requests}\\)$`,
      ),
    );

    // And it keeps trying, and stops at once when told to
    assert.equal(cli.child.exitCode, null);
    const exit = await exitWithin(cli.stop("SIGTERM"), 5_000);
    assert.equal(exit.code, 0, exit.stderr);
  });

  it("gives up a response SQS does not answer, so a stop is not held for ever", async () => {
    // Given a maker that makes a widget in 0.5 s, during which the broker stops answering
    let stall = () => {};
    let posted = () => {};
    const post = new Promise<void>((resolve) => (posted = resolve));
    const maker = createServer((request, response) => {
      request.resume();
      stall();
      posted();
      setTimeout(() => {
        response.writeHead(201, { "Content-Type": "application/json", Location: "/widgets/w0" });
        response.end("{}");
      }, 500);
    });
    await new Promise<void>((resolve) => maker.listen(0, "127.0.0.1", resolve));
    try {
      const makerUrl = `http://127.0.0.1:${(maker.address() as AddressInfo).port}`;
      const { cli, proxy, requestsUrl, responses } = await startConsumer(
        "no-answer-busy",
        makerUrl,
      );
      stall = () => proxy.stall();

      // When a request comes, and the consumer is told to stop while it answers it
      await broker.sqs.send(
        new SendMessageCommand({
          QueueUrl: requestsUrl,
          MessageBody: JSON.stringify(createRequest(0)),
        }),
      );
      await post;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const exit = await exitWithin(cli.stop("SIGTERM"), NO_ANSWER_MS);

      // Then it stops once the response's 10 s are over, saying why the response was not sent
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(
        exit.stderr,
        new RegExp(
          "error: cannot send the response; the request will come back: " +
            `SQS did not answer within 10 s \\(send to ${responses}\\)`,
        ),
      );
    } finally {
      await new Promise((resolve) => maker.close(resolve));
    }
  });
});

it("a maker consumer stopped while SQS does not answer its start-up stops at once", async () => {
  // Given an SQS that takes connections and never answers
  const held: Socket[] = [];
  const silent = createTcpServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const cli = startCli([
    ...["maker-consumer", "--endpoint-url", endpoint],
    ...["--request-queue", "requests", "--response-queue", "responses"],
  ]);
  processes.push(cli);
  try {
    // When it is told to stop while it looks up its queue there
    await waitUntil(async () => held.length > 0, 60_000, "the look-up's connection");
    const exit = await exitWithin(cli.stop("SIGTERM"), 5_000);

    // Then it stops at once, as a stopped job, saying so (not that SQS did not answer)
    assert.equal(exit.code, 143, exit.stderr);
    assert.match(exit.stderr, /^mailroom: stopped by SIGTERM while starting$/m);
  } finally {
    for (const socket of held) socket.destroy();
    silent.close();
  }
});

/** The exit, or a failure if it takes longer than `ms` (the process is then killed in `after`). */
async function exitWithin(exit: Promise<CliExit>, ms: number): Promise<CliExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the process did not exit within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([exit, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
