import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { answerHealthCheck } from "../../../src/broker/protocol/health-check.ts";
import { startTestBroker, TEST_CREDENTIAL } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/** `GET /health`: up and committing, with no signature needed even under `--auth sigv4`. */

describe("GET /health", () => {
  let open: TestBroker;
  let signed: TestBroker;
  before(async () => {
    open = await startTestBroker();
    signed = await startTestBroker({ auth: { mode: "sigv4", credentials: [TEST_CREDENTIAL] } });
  });
  after(async () => {
    await open.close();
    await signed.close();
  });

  it("answers 200 {status: ok} in JSON, and HEAD the same status with no body", async () => {
    const got = await fetch(`${open.endpoint}/health`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), "application/json");
    assert.equal(got.headers.get("cache-control"), "no-store");
    assert.deepEqual(await got.json(), { status: "ok" });
    const head = await fetch(`${open.endpoint}/health`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
  });

  it("answers once the writes issued before it are committed, not before", async () => {
    // Given a store whose pending commit the test lets finish
    let commit: (() => void) | undefined;
    const holding = {
      whenCommitted: (done: (error?: Error) => void) => {
        commit = () => done();
      },
    };
    const { port, close } = await serve(holding);
    try {
      // When /health is asked while the commit is pending
      let answered = false;
      const health = fetch(`http://127.0.0.1:${port}/health`).then((got) => {
        answered = true;
        return got;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));

      // Then it waits for it, and answers 200 once it is done
      assert.equal(answered, false, "answered before the commit");
      assert.ok(commit, "asked the store when its writes are committed");
      commit();
      assert.equal((await health).status, 200);
    } finally {
      await close();
    }
  });

  it("answers 200 after a write on a real broker", async () => {
    const QueueUrl = await open.createQueue();
    await open.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "m" }));
    const health = await fetch(`${open.endpoint}/health`);
    assert.equal(health.status, 200);
  });

  it("needs no signature under --auth sigv4, while every SQS call and metric still does", async () => {
    const health = await fetch(`${signed.endpoint}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const metrics = await fetch(`${signed.endpoint}/_mailroom/queues`);
    assert.equal(metrics.status, 403);
    const listQueues = await fetch(`${signed.endpoint}/health?Action=ListQueues`);
    assert.equal(listQueues.status, 403, "a Query GET to /health is an SQS call");
    assert.match(await listQueues.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });

  it("is served on the console's port too", async () => {
    const broker = await startTestBroker({ consolePort: 0 });
    try {
      const got = await fetch(new URL("/health", broker.consoleUrl));
      assert.deepEqual(await got.json(), { status: "ok" });
    } finally {
      await broker.close();
    }
  });

  it("answers 503 with the reason when the store's commit failed", async () => {
    const failing = {
      whenCommitted: (done: (error?: Error) => void) => done(new Error("disk full")),
    };
    const { port, close } = await serve(failing);
    try {
      const got = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(got.status, 503);
      assert.deepEqual(await got.json(), {
        status: "unavailable",
        reason: "the store could not commit: disk full",
      });
      const other = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(other.status, 404, "only /health itself is the health check");
    } finally {
      await close();
    }
  });
});

/** A loopback server answering only the health check, against `store`. */
async function serve(store: Parameters<typeof answerHealthCheck>[2]) {
  const server = createServer((req, res) => {
    if (!answerHealthCheck(req, res, store)) res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
