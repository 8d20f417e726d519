import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { GetQueueUrlCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, QueryParameterBag } from "@smithy/types";
import { ProtocolError } from "../../../src/broker/protocol/protocol-error.ts";
import type { ProtocolErrorCode } from "../../../src/broker/protocol/protocol-error.ts";
import type {
  Credential,
  SignedRequest,
} from "../../../src/broker/protocol/sigv4/signed-request.ts";
import { SigV4Verifier } from "../../../src/broker/protocol/sigv4/sigv4-verifier.ts";
import { ScopedKeys } from "../../../src/broker/protocol/sigv4/scoped-keys.ts";
import { SigningKey, deriveSigningKey } from "../../../src/broker/protocol/sigv4/signing-key.ts";
import { Sha256 } from "../../support/sdk-sha256.ts";

/** 2026-12-04 10:15:00 UTC, the broker's "now" unless a test moves it. */
const NOW = Date.UTC(2026, 11, 4, 10, 15, 0);
const MINUTE = 60_000;

const ALICE: Credential = {
  accessKeyId: "AKIAMAILROOMEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  accountId: "000000000000",
};
const BOB: Credential = {
  accessKeyId: "AKIABOBEXAMPLE",
  secretAccessKey: "bob-secret",
  accountId: "111111111111",
};

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

interface SignOptions {
  credential?: Pick<Credential, "accessKeyId" | "secretAccessKey">;
  at?: number;
  region?: string;
  service?: string;
  /**
   * Let the signer add `x-amz-content-sha256`. Default false, as botocore signs SQS requests;
   * the JS SDK v3 adds it (see the client-sqs test).
   */
  applyChecksum?: boolean;
}

function signer(options: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: options.credential ?? ALICE,
    region: options.region ?? "us-east-1",
    service: options.service ?? "sqs",
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? false,
  });
}

/** A request as an SDK would build it: `path` already percent-encoded, `query` decoded. */
function request(parts: Partial<HttpRequest> & Pick<HttpRequest, "method" | "path">): HttpRequest {
  return {
    protocol: "http:",
    hostname: "localhost",
    port: 9324,
    query: {},
    ...parts,
    headers: { host: "localhost:9324", ...parts.headers },
  };
}

/** Signs with the AWS SDK's own signer, in the Authorization header. */
async function signed(http: HttpRequest, options: SignOptions = {}): Promise<SignedRequest> {
  const result = await signer(options).sign(http, { signingDate: new Date(options.at ?? NOW) });
  return onTheWire(result);
}

/** Presigns with the AWS SDK's own signer. */
async function presigned(
  http: HttpRequest,
  expiresIn: number,
  options: SignOptions = {},
): Promise<SignedRequest> {
  const result = await signer(options).presign(http, {
    signingDate: new Date(options.at ?? NOW),
    expiresIn,
  });
  return onTheWire(result);
}

/** What the broker receives for an SDK request: the query serialised as the SDK's HTTP handler does. */
function onTheWire(http: HttpRequest): SignedRequest {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(http.headers)) headers[name.toLowerCase()] = value;
  const body = http.body === undefined ? Buffer.alloc(0) : Buffer.from(http.body as string);
  return {
    method: http.method,
    path: http.path,
    query: rawQuery(http.query ?? {}),
    headers,
    rawHeaders: rawHeadersOf(headers),
    body,
  };
}

/** Node's `rawHeaders` for headers each received once. */
function rawHeadersOf(headers: IncomingHttpHeaders): string[] {
  return Object.entries(headers).flatMap(([name, value]) => [name, String(value)]);
}

/** @smithy's buildQueryString: sorted keys, RFC 3986 escaping. */
function rawQuery(query: QueryParameterBag): string {
  const escape = (text: string) =>
    encodeURIComponent(text).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(one === null || one === undefined ? escape(key) : `${escape(key)}=${escape(one)}`);
    }
  }
  return parts.join("&");
}

function verifier(now = () => NOW): SigV4Verifier {
  return new SigV4Verifier({ credentials: [ALICE, BOB], now });
}

/** Expects `verify` to throw a ProtocolError with `code` and a message matching `message`. */
function assertRejected(
  verify: () => unknown,
  code: ProtocolErrorCode,
  message: string | RegExp,
): void {
  assert.throws(verify, (error: unknown) => {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const FORM_POST = request({
  method: "POST",
  path: "/000000000000/orders",
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  body: "Action=SendMessage&MessageBody=hello%20world%2B%21&Version=2012-11-05",
});

const JSON_POST = request({
  method: "POST",
  path: "/",
  headers: {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "AmazonSQS.SendMessage",
  },
  body: JSON.stringify({
    QueueUrl: "http://localhost:9324/000000000000/orders",
    MessageBody: 'widget ✓ {"id": 7}',
  }),
});

const QUERY_GET = request({
  method: "GET",
  path: "/000000000000/orders",
  query: { Action: "ReceiveMessage", MaxNumberOfMessages: "10", Version: "2012-11-05" },
});

describe("SigV4Verifier: requests the SDK signs", () => {
  it("accepts a header-signed POST with a form body (Query protocol)", async () => {
    const caller = verifier().verify(await signed(FORM_POST));
    assert.deepEqual(caller, { accessKeyId: ALICE.accessKeyId, accountId: "000000000000" });
  });

  it("accepts a header-signed POST with a JSON body (JSON protocol), and names the caller", async () => {
    const caller = verifier().verify(await signed(JSON_POST, { credential: BOB }));
    assert.deepEqual(caller, { accessKeyId: BOB.accessKeyId, accountId: "111111111111" });
  });

  it("accepts a presigned GET until X-Amz-Expires runs out", async () => {
    // Given a URL presigned at NOW for five minutes
    const url = await presigned(QUERY_GET, 300);
    assert.match(url.query, /X-Amz-Signature=[0-9a-f]{64}/);
    assert.equal(url.headers.authorization, undefined);

    // Then it works at once and at the last second, and not after
    assert.equal(verifier().verify(url).accessKeyId, ALICE.accessKeyId);
    assert.equal(verifier(() => NOW + 300_000).verify(url).accessKeyId, ALICE.accessKeyId);
    assertRejected(
      () => verifier(() => NOW + 301_000).verify(url),
      "RequestExpired",
      "Request has expired: the presigned URL expired at 20261204T102000Z; server time 20261204T102001Z.",
    );
  });

  it("accepts Authorization parameters separated by spaces, commas or both", async () => {
    const request = await signed(FORM_POST);
    const authorization = String(request.headers.authorization);
    for (const spelling of [
      authorization.replaceAll(", ", " "),
      authorization.replaceAll(", ", ","),
      authorization.replace(" ", ", "),
      ` ${authorization.replaceAll(", ", " ,  ")}\t`,
    ]) {
      const respelled = { ...request, headers: { ...request.headers, authorization: spelling } };
      assert.equal(verifier().verify(respelled).accessKeyId, ALICE.accessKeyId, spelling);
    }
  });

  it("takes the signing time from the Date header when there is no X-Amz-Date", () => {
    // Given a GET signed by hand over `date` and `host`, the canonical request written out
    const canonical = [
      "GET",
      "/",
      "Action=ListQueues&Version=2012-11-05",
      "date:Fri, 04 Dec 2026 10:15:00 GMT",
      "host:localhost:9324",
      "",
      "date;host",
      createHash("sha256").update("").digest("hex"),
    ].join("\n");
    const scope = "20261204/us-east-1/sqs/aws4_request";
    const toSign = `AWS4-HMAC-SHA256\n20261204T101500Z\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
    const key = deriveSigningKey(ALICE.secretAccessKey, "20261204", "us-east-1", "sqs");
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    const headers = {
      host: "localhost:9324",
      date: "Fri, 04 Dec 2026 10:15:00 GMT",
      authorization: `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/${scope}, SignedHeaders=date;host, Signature=${signature}`,
    };
    const request: SignedRequest = {
      method: "GET",
      path: "/",
      query: "Version=2012-11-05&Action=ListQueues",
      headers,
      rawHeaders: rawHeadersOf(headers),
      body: Buffer.alloc(0),
    };

    // Then it verifies, and a Date that is no date is refused
    assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId);
    assertRejected(
      () => verifier().verify({ ...request, headers: { ...request.headers, date: "yesterday" } }),
      "IncompleteSignature",
      /^Date header must be an HTTP date/,
    );
  });

  it("gives a presigned URL without X-Amz-Expires the 15 minutes of a signed header", async () => {
    const url = await presigned(QUERY_GET, 3600, { at: NOW - 16 * MINUTE });
    const query = url.query.replace(/&X-Amz-Expires=\d+/, "");
    assertRejected(
      () => verifier().verify({ ...url, query }),
      "SignatureDoesNotMatch",
      /^Signature expired: 20261204T095900Z is now earlier than 20261204T100000Z/,
    );
  });

  it("accepts any region in the credential scope, checked with that region", async () => {
    const request = await signed(FORM_POST, { region: "ap-southeast-2" });
    assert.match(String(request.headers.authorization), /\/ap-southeast-2\/sqs\//);
    assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId);
  });

  it("encodes paths as the SDK does: escaped twice, dot segments resolved", async () => {
    for (const path of [
      "/000000000000/my%20queue",
      "/a/./b/../000000000000/q~x_y.fifo",
      "/x//y/",
    ]) {
      const request = await signed({ ...FORM_POST, path });
      assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId, path);
    }
  });

  it("encodes query values as the SDK does, reserved characters and unicode included", async () => {
    const odd = "a b+c/d~e*'()!%é✓";
    const request = await signed({
      ...QUERY_GET,
      query: { Action: "SendMessage", MessageBody: odd, "Odd Key": ["2", "1"], Empty: "" },
    });
    assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId);
  });

  it("folds runs of spaces and tabs inside signed header values, as the SDK does", async () => {
    const request = await signed({
      ...FORM_POST,
      headers: { ...FORM_POST.headers, "x-mailroom-note": "two   spaces\tand  a tab" },
    });
    assert.match(String(request.headers.authorization), /x-mailroom-note/);
    assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId);
  });

  it("reads `+` in the URL query as a space, as the Query protocol runs it", async () => {
    // Given a request signed for MessageBody "a b", sent with `+` for the space
    const request = await signed({ ...QUERY_GET, query: { MessageBody: "a b" } });
    assert.equal(request.query, "MessageBody=a%20b");
    const formEncoded = { ...request, query: "MessageBody=a+b" };

    // Then both spellings verify
    assert.equal(verifier().verify(formEncoded).accessKeyId, ALICE.accessKeyId);

    // And a raw `+` signed as a plus does not: the broker would run it as a space
    const plus = await signed({ ...QUERY_GET, query: { MessageBody: "a+b" } });
    assert.equal(plus.query, "MessageBody=a%2Bb");
    assertRejected(
      () => verifier().verify({ ...plus, query: "MessageBody=a+b" }),
      "SignatureDoesNotMatch",
      /signature we calculated does not match/,
    );
  });

  it("reads bad percent-encoding in the URL query as the Query protocol runs it", async () => {
    // Given a request signed for the text `price%FF100` (sent as `price%25FF100`)
    const request = await signed({ ...QUERY_GET, query: { MessageBody: "price%FF100" } });
    assert.equal(request.query, "MessageBody=price%25FF100");
    assert.equal(verifier().verify(request).accessKeyId, ALICE.accessKeyId);

    // Then the same URL with a bare `%FF`, which would run as `price\uFFFD100`, is refused
    assertRejected(
      () => verifier().verify({ ...request, query: "MessageBody=price%FF100" }),
      "SignatureDoesNotMatch",
      /signature we calculated does not match/,
    );
  });

  it("reads every value of a repeated header that Node keeps only once", async () => {
    // Given a request signed with `expires: a,b` (botocore signs two values as `a,b`)
    const request = await signed({
      ...FORM_POST,
      headers: { ...FORM_POST.headers, expires: "a,b" },
    });
    assert.match(String(request.headers.authorization), /expires/);

    // When it arrives as two headers, of which Node's `headers` keeps the first alone
    const arrived: SignedRequest = {
      ...request,
      headers: { ...request.headers, expires: "a" },
      rawHeaders: [
        ...request.rawHeaders.filter((_, i, raw) => raw[i - (i % 2)] !== "expires"),
        "Expires",
        "a",
        "expires",
        "b",
      ],
    };

    // Then it verifies, and a second value the signature did not cover does not
    assert.equal(verifier().verify(arrived).accessKeyId, ALICE.accessKeyId);
    const unsigned = await signed({
      ...FORM_POST,
      headers: { ...FORM_POST.headers, expires: "a" },
    });
    assertRejected(
      () =>
        verifier().verify({
          ...unsigned,
          rawHeaders: [...unsigned.rawHeaders, "expires", "b"],
        }),
      "SignatureDoesNotMatch",
      /signature we calculated does not match/,
    );
  });

  it("joins a header received twice with `,`, as the signers do", async () => {
    // Given a request signed with a header of two values (botocore signs `a,b`)
    const request = await signed({
      ...FORM_POST,
      headers: { ...FORM_POST.headers, "x-mailroom-tag": "a,b" },
    });
    assert.match(String(request.headers.authorization), /x-mailroom-tag/);

    // When it arrives as two headers, which Node joins with `, `
    const arrived: SignedRequest = {
      ...request,
      headers: { ...request.headers, "x-mailroom-tag": "a, b" },
      rawHeaders: [
        ...request.rawHeaders.filter((_, i, raw) => raw[i - (i % 2)] !== "x-mailroom-tag"),
        "X-Mailroom-Tag",
        " a",
        "x-mailroom-tag",
        "b ",
      ],
    };

    // Then it verifies, each value trimmed
    assert.equal(verifier().verify(arrived).accessKeyId, ALICE.accessKeyId);
  });

  it("signs a header named like an Object property, and missing, as empty", async () => {
    // Given a signature over `constructor` and `__proto__`, headers the request does not carry
    const request = await signed(QUERY_GET);
    const authorization = String(request.headers.authorization).replace(
      /SignedHeaders=[^,]*/,
      "SignedHeaders=__proto__;constructor;host;x-amz-date",
    );
    // Then it is refused as a wrong signature, not a server failure
    assertRejected(
      () => verifier().verify({ ...request, headers: { ...request.headers, authorization } }),
      "SignatureDoesNotMatch",
      /constructor:\n/,
    );
  });

  it("checks x-amz-content-sha256 against the body, and lets UNSIGNED-PAYLOAD through", async () => {
    // Given a request whose signer declared the body hash (as S3 clients do)
    const declared = await signed(FORM_POST, { applyChecksum: true });
    assert.match(String(declared.headers["x-amz-content-sha256"]), /^[0-9a-f]{64}$/);
    assert.equal(verifier().verify(declared).accessKeyId, ALICE.accessKeyId);

    // When the body changes on the way, the (still valid) signature does not cover it
    assertRejected(
      () => verifier().verify({ ...declared, body: Buffer.from("Action=PurgeQueue") }),
      "SignatureDoesNotMatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );

    // And a body declared unsigned may be anything
    const unsigned = await signed({
      ...FORM_POST,
      headers: { ...FORM_POST.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    });
    const other = { ...unsigned, body: Buffer.from("Action=PurgeQueue") };
    assert.equal(verifier().verify(other).accessKeyId, ALICE.accessKeyId);
  });

  it("accepts what @aws-sdk/client-sqs itself sends", async () => {
    // Given the real SQS client, its requests captured instead of sent
    const captured: HttpRequest[] = [];
    const client = new SQSClient({
      endpoint: "http://localhost:9324",
      region: "eu-west-2",
      credentials: { accessKeyId: BOB.accessKeyId, secretAccessKey: BOB.secretAccessKey },
      maxAttempts: 1,
      md5: false,
      requestHandler: {
        handle: async (http: HttpRequest) => {
          captured.push(http);
          const body = http.headers["x-amz-target"]?.endsWith("GetQueueUrl")
            ? '{"QueueUrl":"http://localhost:9324/111111111111/orders"}'
            : '{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e274","MD5OfMessageBody":"x"}';
          const headers = { "content-type": "application/x-amz-json-1.0" };
          return { response: { statusCode: 200, headers, body: Readable.from([body]) } };
        },
      },
    });

    // When it sends two commands
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: "orders" }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "widget ✓" }));
    client.destroy();

    // Then both verify, with the clock the client signed by
    assert.equal(captured.length, 2);
    for (const http of captured) {
      const caller = verifier(() => Date.now()).verify(onTheWire(http));
      assert.equal(caller.accessKeyId, BOB.accessKeyId);
    }
  });
});

describe("SigV4Verifier: tampered and mis-signed requests", () => {
  const tamperings: [string, (r: SignedRequest) => SignedRequest][] = [
    [
      "a changed body",
      (r) => ({ ...r, body: Buffer.from("Action=PurgeQueue&Version=2012-11-05") }),
    ],
    [
      "a changed signed header",
      (r) => ({ ...r, headers: { ...r.headers, "content-type": "application/json" } }),
    ],
    ["an added query parameter", (r) => ({ ...r, query: "Action=PurgeQueue" })],
    ["a changed path", (r) => ({ ...r, path: "/000000000000/payments" })],
    ["a changed method", (r) => ({ ...r, method: "PUT" })],
  ];
  for (const [what, tamper] of tamperings) {
    it(`rejects ${what} with SignatureDoesNotMatch and the canonical request`, async () => {
      const request = await signed(FORM_POST);
      assertRejected(
        () => verifier().verify(tamper(request)),
        "SignatureDoesNotMatch",
        new RegExp(
          `^${escapeRegExp(MISMATCH)}\n\nThe Canonical String for this request should have been\n'` +
            `[^]*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261204T101500Z\n` +
            `20261204/us-east-1/sqs/aws4_request\n[0-9a-f]{64}'\n$`,
        ),
      );
    });
  }

  it("rejects a changed presigned query parameter", async () => {
    const url = await presigned(QUERY_GET, 300);
    const tampered = { ...url, query: url.query.replace("ReceiveMessage", "PurgeQueue") };
    assertRejected(
      () => verifier().verify(tampered),
      "SignatureDoesNotMatch",
      /^The request signature/,
    );
  });

  it("rejects another secret for a known key", async () => {
    const request = await signed(FORM_POST, {
      credential: { accessKeyId: ALICE.accessKeyId, secretAccessKey: "not-alices-secret" },
    });
    assertRejected(
      () => verifier().verify(request),
      "SignatureDoesNotMatch",
      /^The request signature/,
    );
  });

  it("rejects an unknown access key", async () => {
    const request = await signed(FORM_POST, {
      credential: { accessKeyId: "AKIAUNKNOWN", secretAccessKey: ALICE.secretAccessKey },
    });
    assertRejected(
      () => verifier().verify(request),
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    );
  });

  it("rejects a signature made 16 minutes ago, and accepts one made 15 minutes ago", async () => {
    const stale = await signed(FORM_POST, { at: NOW - 16 * MINUTE });
    assertRejected(
      () => verifier().verify(stale),
      "SignatureDoesNotMatch",
      "Signature expired: 20261204T095900Z is now earlier than 20261204T100000Z (20261204T101500Z - 15 min.)",
    );
    const edge = await signed(FORM_POST, { at: NOW - 15 * MINUTE });
    assert.equal(verifier().verify(edge).accessKeyId, ALICE.accessKeyId);
  });

  it("rejects a signature made 16 minutes ahead", async () => {
    const request = await signed(FORM_POST, { at: NOW + 16 * MINUTE });
    assertRejected(
      () => verifier().verify(request),
      "SignatureDoesNotMatch",
      "Signature not yet current: 20261204T103100Z is still later than 20261204T103000Z (20261204T101500Z + 15 min.)",
    );
  });

  it("rejects a request with no signature at all", () => {
    const unsigned = onTheWire(FORM_POST);
    assertRejected(
      () => verifier().verify(unsigned),
      "MissingAuthenticationToken",
      "Request is missing Authentication Token",
    );
  });

  it("rejects credentials scoped to another service", async () => {
    const request = await signed(FORM_POST, { service: "sns" });
    assertRejected(
      () => verifier().verify(request),
      "SignatureDoesNotMatch",
      "Credential should be scoped to correct service: 'sqs'. ",
    );
  });

  it("rejects a request signed both ways", async () => {
    const url = await presigned(QUERY_GET, 300);
    const header = await signed(QUERY_GET);
    assertRejected(
      () => verifier().verify({ ...url, headers: header.headers }),
      "SignatureDoesNotMatch",
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });
});

describe("SigV4Verifier: malformed signatures", () => {
  /** A form POST signed properly, then given `authorization` (and other headers) instead. */
  async function withHeaders(headers: IncomingHttpHeaders): Promise<SignedRequest> {
    const request = await signed(FORM_POST);
    return { ...request, headers: { ...request.headers, ...headers } };
  }

  it("names every missing Authorization parameter, as AWS does", async () => {
    const authorization = "Bearer eyJhbGciOiJIUzI1NiJ9";
    const request = await withHeaders({ authorization, "x-amz-date": undefined });
    assertRejected(
      () => verifier().verify(request),
      "IncompleteSignature",
      "Authorization header requires 'Credential' parameter. " +
        "Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${authorization}`,
    );
  });

  it("rejects an Authorization header without a Signature", async () => {
    const request = await signed(FORM_POST);
    const authorization = String(request.headers.authorization).replace(/, Signature=.*/, "");
    assertRejected(
      () => verifier().verify({ ...request, headers: { ...request.headers, authorization } }),
      "IncompleteSignature",
      `Authorization header requires 'Signature' parameter. Authorization=${authorization}`,
    );
  });

  it("rejects another algorithm, a short credential and an unsigned host", async () => {
    const request = await signed(FORM_POST);
    const authorization = String(request.headers.authorization);
    const cases: [string, string][] = [
      [
        authorization.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
      ],
      [
        authorization.replace("/us-east-1/", "/"),
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, " +
          "got 'AKIAMAILROOMEXAMPLE/20261204/sqs/aws4_request'",
      ],
      [
        authorization.replace(/SignedHeaders=[^,]*/, "SignedHeaders=content-type;x-amz-date"),
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      ],
    ];
    for (const [header, message] of cases) {
      const broken = { ...request, headers: { ...request.headers, authorization: header } };
      assertRejected(() => verifier().verify(broken), "IncompleteSignature", message);
    }
  });

  it("rejects an X-Amz-Date that is not ISO 8601 basic format", async () => {
    for (const date of ["2026-12-04T10:15:00Z", "20261304T101500Z", "20261204T241500Z"]) {
      const request = await withHeaders({ "x-amz-date": date });
      assertRejected(
        () => verifier().verify(request),
        "IncompleteSignature",
        `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
  });

  it("rejects a credential scope dated another day than X-Amz-Date", async () => {
    const request = await signed(FORM_POST);
    const authorization = String(request.headers.authorization).replace("/20261204/", "/20261203/");
    assertRejected(
      () => verifier().verify({ ...request, headers: { ...request.headers, authorization } }),
      "SignatureDoesNotMatch",
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
        "'20261203' != '20261204', from '20261204T101500Z'.",
    );
  });

  it("names the missing presigned parameters", async () => {
    const url = await presigned(QUERY_GET, 300);
    const query = url.query.replace(/&X-Amz-Credential=[^&]*/, "").replace(/&X-Amz-Date=[^&]*/, "");
    assertRejected(
      () => verifier().verify({ ...url, query }),
      "IncompleteSignature",
      "AWS query-string parameters must include 'X-Amz-Credential'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. " +
        "Re-examine the query-string parameters.",
    );
  });

  it("rejects an X-Amz-Expires over a week, or not a number", async () => {
    const url = await presigned(QUERY_GET, 300);
    assertRejected(
      () =>
        verifier().verify({
          ...url,
          query: url.query.replace("X-Amz-Expires=300", "X-Amz-Expires=604801"),
        }),
      "RequestExpired",
      /^X-Amz-Expires must be less than a week/,
    );
    assertRejected(
      () =>
        verifier().verify({
          ...url,
          query: url.query.replace("X-Amz-Expires=300", "X-Amz-Expires=soon"),
        }),
      "IncompleteSignature",
      "X-Amz-Expires should be a number",
    );
  });
});

describe("SigV4Verifier: signing keys", () => {
  it("derives AWS's documented example signing key", () => {
    // The worked example of the SigV4 documentation (IAM, 20120215, us-east-1).
    const key = deriveSigningKey(
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "20120215",
      "us-east-1",
      "iam",
    );
    assert.equal(
      key.toString("hex"),
      "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
    );
  });

  it("keeps verifying correctly across two dates with the cached keys", async () => {
    // Given a broker whose clock moves from one day to the next
    let now = Date.UTC(2026, 11, 4, 23, 55);
    const broker = verifier(() => now);
    const dayOne = await signed(FORM_POST, { at: now });
    assert.equal(broker.verify(dayOne).accessKeyId, ALICE.accessKeyId);
    assert.equal(broker.verify(dayOne).accessKeyId, ALICE.accessKeyId, "from the cache");

    // When the date changes, a new day's key is derived beside the old one
    now = Date.UTC(2026, 11, 5, 0, 5);
    const dayTwo = await signed(FORM_POST, { at: now });
    assert.equal(broker.verify(dayTwo).accessKeyId, ALICE.accessKeyId);
    assert.equal(
      broker.verify(dayOne).accessKeyId,
      ALICE.accessKeyId,
      "10 minutes old, still fine",
    );

    // Then a wrong secret is still caught on either day, and Bob still gets his own key
    for (const at of [Date.UTC(2026, 11, 4, 23, 59), now]) {
      const forged = await signed(FORM_POST, {
        at,
        credential: { accessKeyId: ALICE.accessKeyId, secretAccessKey: BOB.secretAccessKey },
      });
      assertRejected(
        () => broker.verify(forged),
        "SignatureDoesNotMatch",
        /^The request signature/,
      );
    }
    const bob = await signed(FORM_POST, { at: now, credential: BOB });
    assert.equal(broker.verify(bob).accessKeyId, BOB.accessKeyId);
  });

  it("bounds the scoped keys, dropping the oldest first, and still checks each date", () => {
    // Given room for two scopes
    const keys = new ScopedKeys([ALICE], "sqs", 2);
    const scoped = (day: string, amzDay = day) =>
      keys.forRequest(
        `${ALICE.accessKeyId}/${day}/eu-west-1/sqs/aws4_request`,
        `${amzDay}T101500Z`,
      );
    const hmac = (day: string) =>
      createHmac("sha256", deriveSigningKey(ALICE.secretAccessKey, day, "eu-west-1", "sqs"))
        .update("x")
        .digest("hex");

    // When three days are used, and an unknown key is tried
    scoped("20261201");
    scoped("20261202");
    assert.equal(scoped("20261203").key.sign("x"), hmac("20261203"));
    assertRejected(
      () => keys.forRequest("AKIAUNKNOWN/20261203/eu-west-1/sqs/aws4_request", "20261203T101500Z"),
      "InvalidClientTokenId",
      /security token/,
    );

    // Then two are kept, the evicted one is derived again, and a cached scope
    // used with another day's X-Amz-Date is refused
    assert.equal(keys.size, 2);
    assert.equal(scoped("20261201").key.sign("x"), hmac("20261201"));
    assertRejected(
      () => scoped("20261201", "20261202"),
      "SignatureDoesNotMatch",
      /^Date in Credential scope does not match YYYYMMDD/,
    );
  });

  it("refuses an access key id listed twice", () => {
    assert.throws(
      () =>
        new SigV4Verifier({
          credentials: [ALICE, { ...BOB, accessKeyId: ALICE.accessKeyId }],
          now: () => NOW,
        }),
      /listed twice/,
    );
  });

  it("signs as node's createHmac does, for any text", () => {
    const key = deriveSigningKey("secret", "20261204", "us-east-1", "sqs");
    const signingKey = new SigningKey(key);
    const texts = ["", "AWS4-HMAC-SHA256\n20261204T101500Z", "région ✓ 🚀", "y".repeat(5000), "z"];
    for (const text of texts) {
      const expected = createHmac("sha256", key).update(text).digest("hex");
      assert.equal(signingKey.sign(text), expected, text.slice(0, 20));
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
