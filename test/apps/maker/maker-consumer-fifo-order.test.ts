import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli } from "../../support/cli-process.ts";
import { createRequest } from "./maker-process.ts";

/**
 * A maker in the test: makes a widget from the first request that reaches it
 * for that id (409 for another request after it), answers 503 to the first
 * attempt of a request labelled "first", and notes how many POSTs it held at once.
 */
class FlakyMaker {
  readonly made = new Map<string, { requestId: string; label: string }>();
  private readonly failedOnce = new Set<string>();
  maxConcurrent = 0;
  private concurrent = 0;
  private readonly server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      this.concurrent += 1;
      this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
      setTimeout(() => {
        this.concurrent -= 1;
        const [status, answer] = this.answer(JSON.parse(body) as Record<string, string>);
        response.writeHead(status, { "Content-Type": "application/json" });
        response.end(JSON.stringify(answer));
      }, 200);
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private answer(request: Record<string, string>): [number, object] {
    const { requestId, widgetId, label } = request as Record<string, string>;
    if (label === "first" && !this.failedOnce.has(requestId!)) {
      this.failedOnce.add(requestId!);
      return [503, { error: "down for a moment" }];
    }
    const made = this.made.get(widgetId!);
    if (made === undefined) {
      this.made.set(widgetId!, { requestId: requestId!, label: label! });
      return [201, { widget_id: widgetId }];
    }
    return made.requestId === requestId
      ? [200, { widget_id: widgetId }]
      : [409, { error: `widget ${widgetId} already exists` }];
  }
}

describe("maker consumer batches", () => {
  let broker: TestBroker;
  let maker: FlakyMaker;
  let makerUrl: string;

  before(async () => {
    broker = await startTestBroker({ clock: systemClock });
  });
  after(async () => {
    await broker?.close();
  });

  it("keeps a FIFO group's order: a request retried holds back the later ones of its group", async () => {
    // Given 10 message groups, each two creates of one widget: "first" then "second"
    maker = new FlakyMaker();
    makerUrl = await maker.listen();
    const { QueueUrl: requestsUrl } = await broker.sqs.send(
      new CreateQueueCommand({
        QueueName: broker.uniqueName("order-requests", true),
        Attributes: { FifoQueue: "true", VisibilityTimeout: "5" },
      }),
    );
    const responsesUrl = await broker.createQueue({}, "order-responses");
    const requests = Array.from({ length: 10 }, (_, group) => {
      const widgetId = `widget-${group}`;
      return ["first", "second"].map((label, n) => ({
        Id: `${group}-${n}`,
        MessageGroupId: `group-${group}`,
        MessageDeduplicationId: `${group}-${n}`,
        MessageBody: JSON.stringify({ ...createRequest(group), widgetId, label }),
      }));
    }).flat();
    for (let start = 0; start < requests.length; start += 10) {
      await broker.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: requestsUrl,
          Entries: requests.slice(start, start + 10),
        }),
      );
    }

    // When the consumer handles them, the maker failing each "first" once
    try {
      const exit = await runCli([
        ...["maker-consumer", "--endpoint-url", broker.endpoint],
        ...["--request-queue", requestsUrl!, "--response-queue", responsesUrl],
        ...["--maker-url", makerUrl, "--wait-seconds", "1", "--idle-timeout", "4"],
        ...["--retry-base-seconds", "1", "--max-receives", "5"],
      ]);

      // Then every widget is made from its group's first request, the second rejected
      assert.equal(exit.code, 0, exit.stderr.slice(-2000));
      assert.deepEqual(
        [...maker.made.values()].map((widget) => widget.label),
        Array(10).fill("first"),
      );
      assert.match(exit.stdout, /: 10 made, 0 repeats, 10 rejected, 10 retries scheduled, /);
      assert.match(exit.stdout, / 10 held back$/m);
    } finally {
      maker.close();
    }
  });

  it("handles a standard queue's batch concurrently", async () => {
    maker = new FlakyMaker();
    makerUrl = await maker.listen();
    const requestsUrl = await broker.createQueue({}, "concurrent-requests");
    const responsesUrl = await broker.createQueue({}, "concurrent-responses");
    await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: requestsUrl,
        Entries: Array.from({ length: 5 }, (_, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify(createRequest(n)),
        })),
      }),
    );
    try {
      const exit = await runCli([
        ...["maker-consumer", "--endpoint-url", broker.endpoint],
        ...["--request-queue", requestsUrl, "--response-queue", responsesUrl],
        ...["--maker-url", makerUrl, "--wait-seconds", "1", "--idle-timeout", "2"],
      ]);
      assert.equal(exit.code, 0, exit.stderr.slice(-2000));
      assert.equal(maker.made.size, 5);
      assert.ok(maker.maxConcurrent > 1, `at most ${maker.maxConcurrent} POST at once`);
      const { Messages = [] } = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: responsesUrl, MaxNumberOfMessages: 10 }),
      );
      assert.ok(Messages.length > 0);
    } finally {
      maker.close();
    }
  });
});
