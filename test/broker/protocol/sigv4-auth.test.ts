import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest } from "@smithy/types";
import { queryProtocolSettings, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker, WireProtocolName } from "../../support/broker-harness.ts";
import { Sha256 } from "../../support/sdk-sha256.ts";

/**
 * `--auth sigv4` over the wire: requests the AWS SDK signs pass, in both
 * protocols; every tampering fails with AWS's error and status, and the
 * broker keeps serving. (The verifier's own cases: sigv4-verifier.test.ts.)
 */

const ALICE = {
  accessKeyId: "AKIAMAILROOMALICE",
  secretAccessKey: "alice/secret+key",
  accountId: "000000000000",
};
const MINUTE = 60_000;

describe("SigV4 authentication over the wire", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({ auth: { mode: "sigv4", credentials: [ALICE] } });
  });
  after(() => broker.close());

  const client = (
    protocol: WireProtocolName,
    credentials: { accessKeyId: string; secretAccessKey: string } = ALICE,
    systemClockOffset = 0,
  ): SQSClient =>
    new SQSClient({
      endpoint: broker.endpoint,
      region: "eu-west-1", // any region: the broker verifies with the one signed
      credentials,
      maxAttempts: 1,
      systemClockOffset,
      ...(protocol === "query" ? queryProtocolSettings : {}),
    });

  /** The SDK's error as a user sees it: code, status and text. */
  const failure = async (request: Promise<unknown>) => {
    const error = (await request.then(
      () => assert.fail("the request was accepted"),
      (e: unknown) => e,
    )) as { Code?: string; name?: string; message: string; $metadata: { httpStatusCode?: number } };
    return {
      code: error.Code ?? error.name,
      status: error.$metadata.httpStatusCode,
      message: error.message,
    };
  };

  for (const protocol of ["json", "query"] as const) {
    describe(`${protocol} protocol`, () => {
      it("serves requests signed with a known key, with the key as SenderId", async () => {
        const sqs = client(protocol);
        const { QueueUrl } = await sqs.send(
          new CreateQueueCommand({ QueueName: broker.uniqueName(`signed-${protocol}`) }),
        );
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "signed" }));
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["SenderId"] }),
        );
        assert.equal(Messages?.[0]?.Body, "signed");
        assert.equal(Messages?.[0]?.Attributes?.SenderId, ALICE.accessKeyId);
      });

      it("refuses another secret with SignatureDoesNotMatch (403)", async () => {
        const sqs = client(protocol, { ...ALICE, secretAccessKey: "not-alice" });
        const error = await failure(sqs.send(new CreateQueueCommand({ QueueName: "nope" })));
        assert.equal(error.code, "SignatureDoesNotMatch");
        assert.equal(error.status, 403);
        assert.match(error.message, /^The request signature we calculated does not match/);
      });

      it("refuses an unknown access key with InvalidClientTokenId (403)", async () => {
        const sqs = client(protocol, { accessKeyId: "AKIAWHOISTHIS", secretAccessKey: "x" });
        const error = await failure(sqs.send(new CreateQueueCommand({ QueueName: "nope" })));
        assert.deepEqual(error, {
          code: "InvalidClientTokenId",
          status: 403,
          message: "The security token included in the request is invalid.",
        });
      });

      for (const minutes of [-16, 16]) {
        it(`refuses a request signed ${Math.abs(minutes)} minutes ${minutes < 0 ? "ago" : "ahead"}`, async () => {
          const sqs = client(protocol, ALICE, minutes * MINUTE);
          const error = await failure(sqs.send(new CreateQueueCommand({ QueueName: "nope" })));
          assert.equal(error.code, "SignatureDoesNotMatch");
          assert.equal(error.status, 403);
          assert.match(error.message, minutes < 0 ? /Signature expired/ : /not yet current/);
        });
      }

      it("accepts a request signed 14 minutes ago", async () => {
        const sqs = client(protocol, ALICE, -14 * MINUTE);
        await sqs.send(new CreateQueueCommand({ QueueName: broker.uniqueName("skewed") }));
      });
    });
  }

  describe("raw requests", () => {
    const host = () => new URL(broker.endpoint).host;

    /** Signs a request with the SDK's signer and sends it, with `tamper` applied after signing. */
    async function sendSigned(
      http: Omit<HttpRequest, "protocol" | "hostname" | "port">,
      tamper: (signed: HttpRequest) => HttpRequest = (signed) => signed,
    ): Promise<{ status: number; text: string; headers: Headers }> {
      const { hostname, port } = new URL(broker.endpoint);
      const signer = new SignatureV4({
        credentials: ALICE,
        region: "us-east-1",
        service: "sqs",
        sha256: Sha256,
      });
      const request = tamper(
        (await signer.sign({
          protocol: "http:",
          hostname,
          port: Number(port),
          ...http,
          headers: { host: host(), ...http.headers },
        })) as HttpRequest,
      );
      const query = new URLSearchParams(request.query as Record<string, string>).toString();
      const response = await fetch(`${broker.endpoint}${request.path}${query ? `?${query}` : ""}`, {
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => name !== "host"),
        ),
        body: request.method === "GET" ? undefined : (request.body as string),
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, text: await response.text(), headers: response.headers };
    }

    const jsonRequest = (body: object) => ({
      method: "POST",
      path: "/",
      query: {},
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AmazonSQS.CreateQueue",
      },
      body: JSON.stringify(body),
    });

    it("passes an untampered signed request (the harness below is sound)", async () => {
      const response = await sendSigned(jsonRequest({ QueueName: broker.uniqueName("raw") }));
      assert.equal(response.status, 200, response.text);
    });

    it("serves a signed request whose target is in absolute form, as sent to a proxy", async () => {
      // Given a Query SendMessage the SDK signed for the queue's path
      const name = broker.uniqueName("proxied");
      assert.equal((await sendSigned(jsonRequest({ QueueName: name }))).status, 200);
      const { hostname, port } = new URL(broker.endpoint);
      const body = `Action=SendMessage&MessageBody=via%20proxy&Version=2012-11-05`;
      const signed = await new SignatureV4({
        credentials: ALICE,
        region: "us-east-1",
        service: "sqs",
        sha256: Sha256,
      }).sign({
        protocol: "http:",
        hostname,
        port: Number(port),
        method: "POST",
        path: `/000000000000/${name}`,
        query: {},
        headers: { host: host(), "content-type": "application/x-www-form-urlencoded" },
        body,
      });

      // When it is sent with the whole URL as its target (RFC 9112 section 3.2.2)
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(
          {
            hostname,
            port,
            method: "POST",
            path: `${broker.endpoint}/000000000000/${name}`,
            headers: signed.headers,
            timeout: 5_000,
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        outgoing.on("error", reject);
        outgoing.end(body);
      });

      // Then it is verified and served on that queue
      assert.equal(status, 200);
      const { Messages } = await client("json").send(
        new ReceiveMessageCommand({ QueueUrl: `${broker.endpoint}/000000000000/${name}` }),
      );
      assert.equal(Messages?.[0]?.Body, "via proxy");
    });

    it("refuses a changed body with SignatureDoesNotMatch", async () => {
      const response = await sendSigned(jsonRequest({ QueueName: "original" }), (signed) => ({
        ...signed,
        body: JSON.stringify({ QueueName: "changed" }),
      }));
      assert.equal(response.status, 403);
      assert.equal(
        response.headers.get("x-amzn-query-error"),
        "SignatureDoesNotMatch;Sender",
        response.text,
      );
    });

    it("refuses a changed signed header with SignatureDoesNotMatch", async () => {
      const response = await sendSigned(jsonRequest({ QueueName: "original" }), (signed) => ({
        ...signed,
        headers: { ...signed.headers, "x-amz-target": "AmazonSQS.ListQueues" },
      }));
      assert.equal(response.status, 403);
      assert.equal(response.headers.get("x-amzn-query-error"), "SignatureDoesNotMatch;Sender");
    });

    it("refuses a changed query string with SignatureDoesNotMatch (Query GET)", async () => {
      const request = {
        method: "GET",
        path: "/",
        query: { Action: "CreateQueue", QueueName: "original", Version: "2012-11-05" },
        headers: {},
      };
      const response = await sendSigned(request, (signed) => ({
        ...signed,
        query: { ...signed.query, QueueName: "changed" },
      }));
      assert.equal(response.status, 403);
      assert.match(response.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it("refuses a request without a signature with MissingAuthenticationToken, in each format", async () => {
      const json = await fetch(`${broker.endpoint}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "AmazonSQS.ListQueues",
        },
        body: "{}",
      });
      assert.equal(json.status, 403);
      assert.equal(json.headers.get("x-amzn-query-error"), "MissingAuthenticationToken;Sender");
      const query = await fetch(`${broker.endpoint}/?Action=ListQueues`);
      assert.equal(query.status, 403);
      assert.match(await query.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    });

    it("serves a presigned Query URL, and refuses it once expired", async () => {
      const { hostname, port } = new URL(broker.endpoint);
      const signer = new SignatureV4({
        credentials: ALICE,
        region: "us-east-1",
        service: "sqs",
        sha256: Sha256,
      });
      const presign = async (signingDate: Date) => {
        const request = await signer.presign(
          {
            method: "GET",
            protocol: "http:",
            hostname,
            port: Number(port),
            path: "/",
            query: { Action: "ListQueues", Version: "2012-11-05" },
            headers: { host: host() },
          },
          { expiresIn: 60, signingDate },
        );
        const query = new URLSearchParams(request.query as Record<string, string>).toString();
        return fetch(`${broker.endpoint}/?${query}`, { signal: AbortSignal.timeout(5_000) });
      };
      const fresh = await presign(new Date());
      assert.equal(fresh.status, 200, await fresh.text());
      const stale = await presign(new Date(Date.now() - 2 * MINUTE));
      assert.equal(stale.status, 400);
      assert.match(await stale.text(), /<Code>RequestExpired<\/Code>/);
    });
  });
});
