import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../../src/apps/app-error.ts";
import { resolveQueueUrl } from "../../../src/apps/aws/queue-url.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

describe("resolveQueueUrl: a queue by name or URL, as the apps take it", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({ clock: systemClock, inMemory: true });
  });
  after(() => broker.close());

  it("finds a queue by name, and names a missing one in the practical's words", async () => {
    const url = await broker.createQueue();
    const name = url.split("/").at(-1)!;
    assert.equal(await resolveQueueUrl(broker.sqs, name), url);
    await assert.rejects(resolveQueueUrl(broker.sqs, `${name}-missing`), {
      message: `Unable to find a Queue by this name ${name}-missing`,
    });
  });

  it("uses a URL as given, and never swaps another account's queue for a local one of that name", async () => {
    const url = await broker.createQueue();
    const name = url.split("/").at(-1)!;
    const elsewhere = `http://sqs.eu-west-1.amazonaws.com/000000000000/${name}`;
    assert.equal(await resolveQueueUrl(broker.sqs, elsewhere), elsewhere);
    const otherAccount = `http://sqs.eu-west-1.amazonaws.com/123456789012/${name}`;
    await assert.rejects(resolveQueueUrl(broker.sqs, otherAccount), {
      message: `Unable to find a Queue by this name ${otherAccount}`,
    });
  });

  it("says which keys to set when the broker checks signatures and refuses the apps' keys", async () => {
    const signed = await startTestBroker({
      clock: systemClock,
      inMemory: true,
      auth: {
        mode: "sigv4",
        credentials: [
          { accessKeyId: "AKIDONLY", secretAccessKey: "secret", accountId: "000000000000" },
        ],
      },
    });
    try {
      await assert.rejects(resolveQueueUrl(signed.sqs, "anything"), {
        message:
          /^cannot use the queue anything: InvalidClientTokenId: .*set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to one of its keys/,
      });
    } finally {
      await signed.close();
    }
  });

  it("reports SQS's own refusal of a URL as SQS's, not as another service's", async () => {
    const url = await broker.createQueue();
    for (const wrong of [`${broker.endpoint}/`, `${url}/`]) {
      await assert.rejects(resolveQueueUrl(broker.sqs, wrong), {
        message: `cannot use the queue ${wrong}: InvalidAddress: The address ${wrong} is not valid for this endpoint.`,
      });
    }
  });

  it("says in one line when the endpoint is not an SQS service", async () => {
    const notSqs = createServer((_, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
    });
    await new Promise<void>((resolve) => notSqs.listen(0, "127.0.0.1", resolve));
    const sqs = sqsClient(`http://127.0.0.1:${(notSqs.address() as AddressInfo).port}`);
    try {
      for (const queue of ["requests", "http://127.0.0.1/000000000000/requests"]) {
        const error = await resolveQueueUrl(sqs, queue).then(
          () => assert.fail("resolved"),
          (thrown: unknown) => thrown,
        );
        assert.ok(error instanceof AppError, String(error));
        assert.match(
          error.message,
          /^cannot use the queue .*\(is the endpoint an SQS service\?\)$/,
        );
        assert.doesNotMatch(error.message, /\n/);
      }
    } finally {
      sqs.destroy();
      notSqs.close();
    }
  });
});
