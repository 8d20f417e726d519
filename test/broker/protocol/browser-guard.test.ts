import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request } from "playwright-core";
import { after, before, describe, it } from "node:test";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

describe("other web pages cannot drive the broker through a browser", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({ clock: systemClock, inMemory: true });
  });
  after(() => broker.close());

  async function queueWithMessage(): Promise<string> {
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "keep me" }));
    return QueueUrl;
  }

  async function visible(QueueUrl: string): Promise<string | undefined> {
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    return Attributes?.ApproximateNumberOfMessages;
  }

  function purge(QueueUrl: string, headers: Record<string, string>): Promise<Response> {
    return fetch(broker.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ Action: "PurgeQueue", QueueUrl }).toString(),
    });
  }

  it("refuses a form another site posts, with AccessDenied, and changes nothing", async () => {
    const QueueUrl = await queueWithMessage();
    const foreign: Record<string, string>[] = [
      { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      { origin: `http://127.0.0.1:1`, "sec-fetch-site": "same-site" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreign) {
      const answer = await purge(QueueUrl, headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(await answer.text(), /<Code>AccessDenied<\/Code>.*other origins/s);
    }
    assert.equal(await visible(QueueUrl), "1");
  });

  it("refuses a browser that reaches a loopback broker by another name (DNS rebinding)", async () => {
    const QueueUrl = await queueWithMessage();
    const port = new URL(broker.endpoint).port;
    const rebound = { host: `attacker.example:${port}`, "sec-fetch-site": "same-origin" };
    const metrics = await rawRequest(port, "GET", "/_mailroom/queues", rebound);
    assert.match(metrics, /^HTTP\/1\.1 403 .*AccessDeniedException.*loopback/s);
    const raw = await rawRequest(port, "POST", "/", {
      ...rebound,
      origin: `http://attacker.example:${port}`,
      "content-type": "application/x-www-form-urlencoded",
      body: new URLSearchParams({ Action: "PurgeQueue", QueueUrl }).toString(),
    });
    assert.match(raw, /^HTTP\/1\.1 403 /);
    assert.equal(await visible(QueueUrl), "1");
  });

  it("answers the broker's own pages, loopback names, and clients that are not browsers", async () => {
    const QueueUrl = await queueWithMessage();
    const sameOrigin = await fetch(`${broker.endpoint}/_mailroom/queues`, {
      headers: { origin: broker.endpoint, "sec-fetch-site": "same-origin" },
    });
    assert.equal(sameOrigin.status, 200);
    const typedUrl = await fetch(`${broker.endpoint}/?Action=ListQueues`, {
      headers: { "sec-fetch-site": "none" },
    });
    assert.equal(typedUrl.status, 200);
    const port = new URL(broker.endpoint).port;
    const byName = await rawRequest(port, "GET", "/?Action=ListQueues", {
      host: `localhost:${port}`,
      "sec-fetch-site": "same-origin",
    });
    assert.match(byName, /^HTTP\/1\.1 200 /);
    // An SDK, or curl, sends no browser headers: any Host is fine.
    const sdkLike = await rawRequest(port, "GET", "/?Action=ListQueues", {
      host: `sqs.example:${port}`,
    });
    assert.match(sdkLike, /^HTTP\/1\.1 200 /);
    const purged = await purge(QueueUrl, {});
    assert.equal(purged.status, 200);
  });

  it(
    "a real browser on another page's form and image cannot purge or delete a queue",
    { skip: browserSkip },
    async () => {
      // Given a page of another origin (localhost against 127.0.0.1: another site) that tries both
      const QueueUrl = await queueWithMessage();
      const action = (name: string) =>
        `${broker.endpoint}/?${new URLSearchParams({ Action: name, QueueUrl })}`;
      const evil = createServer((_, res) => {
        res.setHeader("content-type", "text/html");
        res.end(
          `<img src="${action("DeleteQueue")}">` +
            `<iframe name="sink"></iframe>` +
            `<form id="f" method="POST" target="sink" action="${broker.endpoint}/">` +
            `<input name="Action" value="PurgeQueue"><input name="QueueUrl" value="${QueueUrl}"></form>` +
            `<script>document.getElementById("f").submit()</script>`,
        );
      });
      await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
      const settled: string[] = [];
      const browser = await launchBrowser();
      try {
        const page = await (await browser.newContext()).newPage();
        // The image's answer is kept from the page (ORB) whatever it is: count requests that ended.
        const ended = (request: Request, outcome: string) => {
          if (request.url().startsWith(broker.endpoint)) {
            settled.push(`${request.method()} ${outcome}`);
          }
        };
        page.on("requestfinished", async (request) =>
          ended(request, String((await request.response())?.status())),
        );
        page.on("requestfailed", (request) => ended(request, "blocked"));
        await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
        await waitUntil(async () => settled.length >= 2, 10_000);
      } finally {
        await browser.close();
        evil.close();
      }
      // Then the broker refused the form, and the queue and its message are still there
      assert.ok(settled.includes("POST 403"), settled.join(", "));
      assert.equal(await visible(QueueUrl), "1");
    },
  );
});

/** One HTTP/1.1 request over a socket, with exactly the headers given (Host included). */
async function rawRequest(
  port: string,
  method: string,
  path: string,
  headers: Record<string, string> & { body?: string },
): Promise<string> {
  const { connect } = await import("node:net");
  const { body = "", ...fields } = headers;
  const lines = Object.entries({ ...fields, "content-length": String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.end(`${method} ${path} HTTP/1.1\r\n${lines}connection: close\r\n\r\n${body}`);
    });
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}
