import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import type { Browser } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

describe("the console's port", () => {
  let broker: TestBroker;
  let consoleUrl: string;

  before(async () => {
    broker = await startTestBroker({ consolePort: 0, clock: systemClock, inMemory: true });
    assert.ok(broker.consoleUrl, "the broker serves a console");
    consoleUrl = broker.consoleUrl;
  });
  after(() => broker.close());

  it("serves index.html, never cached, and hashed assets cached for a year, gzipped", async () => {
    const index = await fetch(consoleUrl, { headers: { "accept-encoding": "gzip" } });
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(index.headers.get("cache-control"), "no-cache");
    assert.match(index.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    const html = await index.text();
    const script = /src="\/(main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    assert.ok(script, `index.html loads a hashed script: ${html}`);

    const asset = await fetch(new URL(script, consoleUrl), {
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(asset.headers.get("content-encoding"), "gzip");
    assert.match(asset.headers.get("content-type") ?? "", /^text\/javascript/);

    const again = await fetch(new URL(script, consoleUrl), {
      headers: { "if-none-match": `"other", W/${asset.headers.get("etag") ?? ""}` },
    });
    assert.equal(again.status, 304);

    // The plain and gzipped bodies are two representations, with two tags
    const plain = await request(new URL(script, consoleUrl), "identity");
    assert.notEqual(plain.etag, asset.headers.get("etag"));
    const notGzipped = await request(
      new URL(script, consoleUrl),
      "identity",
      asset.headers.get("etag")!,
    );
    assert.equal(notGzipped.status, 200);
  });

  it("hands SQS requests to the broker: an SDK pointed at the console port works", async () => {
    const viaConsole = sqsClient(consoleUrl.replace(/\/$/, ""));
    try {
      const name = broker.uniqueName("console");
      await viaConsole.send(new CreateQueueCommand({ QueueName: name }));
      const { QueueUrls = [] } = await broker.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: name }),
      );
      assert.equal(QueueUrls.length, 1);
    } finally {
      viaConsole.destroy();
    }
  });

  it("the broker's own port serves no console", async () => {
    const answer = await fetch(`${broker.endpoint}/`);
    assert.notEqual(answer.headers.get("content-type"), "text/html; charset=utf-8");
  });

  it("opens in a real browser", { skip: browserSkip }, async () => {
    const browser: Browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser, consoleUrl);
      await page.getByRole("heading", { name: /^Queues/ }).waitFor();
      // index.html says "Mailroom console"; the page then names itself
      assert.equal(await page.title(), "Queues · Mailroom console");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});

/** A GET with exactly this Accept-Encoding (fetch adds its own), and an If-None-Match if given. */
async function request(
  url: URL,
  acceptEncoding: string,
  ifNoneMatch?: string,
): Promise<{ status: number; etag: string | undefined }> {
  const { request: get } = await import("node:http");
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "accept-encoding": acceptEncoding };
    if (ifNoneMatch !== undefined) headers["if-none-match"] = ifNoneMatch;
    get(url, { headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag }));
    })
      .on("error", reject)
      .end();
  });
}
