import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { after, it } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { createRequest } from "./maker-process.ts";

const processes: CliProcess[] = [];
after(async () => {
  for (const cli of processes) await cli.stop("SIGKILL");
});

it("keeps a request hidden while a maker slower than its visibility timeout makes it: one POST, one answer", async () => {
  // Given a maker that takes 3 s a widget, and a request queue hiding a message for 1 s
  let posts = 0;
  const maker = createServer((request, response) => {
    posts += 1;
    request.resume();
    setTimeout(() => {
      response.writeHead(201, { "Content-Type": "application/json", Location: "/widgets/w0" });
      response.end("{}");
    }, 3000);
  });
  await new Promise<void>((resolve) => maker.listen(0, "127.0.0.1", resolve));
  const makerUrl = `http://127.0.0.1:${(maker.address() as AddressInfo).port}`;
  const broker = await startTestBroker({ clock: systemClock });
  try {
    const requestsUrl = await broker.createQueue({ VisibilityTimeout: "1" }, "slow-requests");
    const responsesUrl = await broker.createQueue({}, "slow-responses");

    // When two consumers receive from it
    for (let n = 0; n < 2; n += 1) {
      const consumer = startCli([
        ...["maker-consumer", "--endpoint-url", broker.endpoint],
        ...["--request-queue", requestsUrl, "--response-queue", responsesUrl],
        ...["--maker-url", makerUrl, "--wait-seconds", "1", "--request-timeout", "10"],
      ]);
      processes.push(consumer);
      await consumer.waitFor(/^Maker consumer: /m);
    }
    await broker.sqs.send(
      new SendMessageCommand({
        QueueUrl: requestsUrl,
        MessageBody: JSON.stringify(createRequest(0)),
      }),
    );

    // Then the request is posted once and answered once
    const answers: string[] = [];
    await waitUntil(
      async () => {
        const { Messages = [] } = await broker.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: responsesUrl, MaxNumberOfMessages: 10 }),
        );
        answers.push(...Messages.map((message) => message.Body!));
        return answers.length > 0;
      },
      20_000,
      "an answer",
    );
    await sleep(4000);
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: responsesUrl, MaxNumberOfMessages: 10 }),
    );
    answers.push(...Messages.map((message) => message.Body!));
    assert.equal(posts, 1);
    assert.equal(answers.length, 1, answers.join("\n"));
  } finally {
    await broker.close();
    maker.closeAllConnections();
    maker.close();
  }
});
