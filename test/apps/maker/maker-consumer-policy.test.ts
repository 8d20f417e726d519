import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { widgetsEndpoint } from "../../../src/apps/maker-consumer/maker-client.ts";
import { ECHO_MAX_CHARS, makerResponse } from "../../../src/apps/maker-consumer/maker-response.ts";
import { readRequestIds } from "../../../src/apps/maker-consumer/request-ids.ts";
import { classifyReply } from "../../../src/apps/maker-consumer/request-outcome.ts";
import { decideRetry } from "../../../src/apps/maker-consumer/retry-decision.ts";

describe("maker consumer retry policy", () => {
  const policy = { baseDelaySeconds: 2, maxDelaySeconds: 5, maxReceives: 4 };

  it("doubles the visibility timeout per receive, capped, and gives up at maxReceives", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((count) => decideRetry(policy, count, 43_140)),
      [
        { kind: "retry-later", afterSeconds: 2 },
        { kind: "retry-later", afterSeconds: 4 },
        { kind: "retry-later", afterSeconds: 5 },
        { kind: "give-up" },
        { kind: "give-up" },
      ],
    );
  });

  it("never asks SQS for more than the visibility it still grants: 12 hours from the receive, less the maker's call", () => {
    const generous = { baseDelaySeconds: 3600, maxDelaySeconds: 1e9, maxReceives: 100 };
    assert.deepEqual(decideRetry(generous, 20, 43_140), {
      kind: "retry-later",
      afterSeconds: 43_140,
    });
    // A maker call that took its whole hour (--request-timeout 1h) left 11 h less a minute.
    assert.deepEqual(decideRetry(generous, 20, 39_540), {
      kind: "retry-later",
      afterSeconds: 39_540,
    });
  });
});

describe("maker reply classification", () => {
  const answered = (status: number, error?: string) =>
    classifyReply({ kind: "answered", status, location: undefined, error });

  it("2xx is made, 4xx rejected with the maker's reason, 5xx and no answer retried", () => {
    assert.equal(answered(201).kind, "made");
    assert.equal(answered(200).kind, "made");
    assert.deepEqual(answered(400, "owner is missing"), {
      kind: "rejected",
      status: 400,
      reason: "owner is missing",
    });
    assert.deepEqual(answered(403, 'invalid widget id "x": not a UUID'), {
      kind: "rejected",
      status: 403,
      reason: 'invalid widget id "x": not a UUID',
    });
    assert.equal(answered(503).kind, "unavailable");
    assert.equal(answered(500, "disk full").kind, "unavailable");
    assert.deepEqual(classifyReply({ kind: "unreachable", reason: "connect ECONNREFUSED" }), {
      kind: "unavailable",
      reason: "maker unreachable (connect ECONNREFUSED)",
    });
  });

  it("treats timeouts and rate limits as 'later', not 'never'", () => {
    assert.equal(answered(408).kind, "unavailable");
    assert.equal(answered(429).kind, "unavailable");
  });

  it("keeps a request that a wrong --maker-url answered (404, 405, a redirect): never deleted", () => {
    assert.deepEqual(answered(404, "no such route: POST /widget"), {
      kind: "unavailable",
      reason: "maker answered 404: no such route: POST /widget",
    });
    assert.equal(answered(405).kind, "unavailable");
    assert.equal(answered(401).kind, "unavailable");
    assert.deepEqual(
      classifyReply({
        kind: "answered",
        status: 301,
        location: "http://127.0.0.1:8080/widgets",
        error: undefined,
      }),
      {
        kind: "unavailable",
        reason: "maker answered 301 (a redirect to http://127.0.0.1:8080/widgets)",
      },
    );
    for (const status of [409, 413, 422]) assert.equal(answered(status, "no").kind, "rejected");
  });

  it("keeps a request refused by something that is not the maker: a 4xx without the maker's {error} body", () => {
    // The broker's answer to a POST /widgets (--maker-url set to --endpoint-url).
    for (const status of [400, 409, 413, 422]) {
      assert.deepEqual(answered(status), {
        kind: "unavailable",
        reason: `maker answered ${status} without the widget maker's {"error": ...} body, so it is not the maker's answer: is --maker-url the widget maker?`,
      });
    }
  });

  it("rejects a bare 403 as the course does: the seed's maker says 'invalid id' with an HTML page", () => {
    assert.deepEqual(answered(403), {
      kind: "rejected",
      status: 403,
      reason: "the maker refused the request (403: invalid id)",
    });
  });
});

describe("maker consumer request reading and responses", () => {
  it("reads the ids of a request body, or why it is not one", () => {
    assert.deepEqual(readRequestIds('{"requestId":"r","widgetId":"w"}'), {
      requestId: "r",
      widgetId: "w",
    });
    assert.deepEqual(readRequestIds('{"requestId":7}'), { requestId: null, widgetId: null });
    assert.match(readRequestIds("nope").problem ?? "", /not valid JSON/);
    assert.match(readRequestIds("[1]").problem ?? "", /must be a JSON object/);
    assert.match(readRequestIds("  ").problem ?? "", /empty/);
  });

  it("builds OK and REJECTED responses", () => {
    const ids = { requestId: "r", widgetId: "w" };
    assert.deepEqual(
      makerResponse(ids, { kind: "made", status: 201, location: "http://m/widgets/w" }),
      {
        ...ids,
        status: "OK",
        location: "http://m/widgets/w",
        httpStatus: 201,
      },
    );
    assert.deepEqual(makerResponse(ids, { kind: "rejected", reason: "bad" }), {
      ...ids,
      status: "REJECTED",
      reason: "bad",
    });
  });

  it("cuts ids and reasons past 1,024 characters: a response fits SQS's 1 MiB whatever the request held", () => {
    const huge = "x".repeat(600_000);
    const cut = `${"x".repeat(ECHO_MAX_CHARS - 3)}...`;
    const rejected = { kind: "rejected", reason: `request ${huge} already made widget w` } as const;
    const seed = makerResponse({ requestId: null, widgetId: huge, seed: true }, rejected, "m-1");
    assert.deepEqual(seed, {
      MessageId: "m-1",
      WidgetId: cut,
      Status: "REJECTED",
      Reason: `request ${"x".repeat(ECHO_MAX_CHARS - 11)}...`,
    });
    const cs5260 = makerResponse({ requestId: huge, widgetId: huge }, rejected);
    assert.equal((cs5260 as { requestId: string }).requestId, cut);
    assert.ok(Buffer.byteLength(JSON.stringify(cs5260)) < 4 * ECHO_MAX_CHARS);
    // A cut never splits a surrogate pair: the response stays well-formed UTF-16.
    const emoji = makerResponse({ requestId: "😀".repeat(600), widgetId: "w" }, rejected);
    assert.equal((emoji as { requestId: string }).requestId, `${"😀".repeat(510)}...`);
    // Ids of a sane length are echoed as they are.
    assert.deepEqual(makerResponse({ requestId: "r", widgetId: "w" }, rejected), {
      requestId: "r",
      widgetId: "w",
      status: "REJECTED",
      reason: rejected.reason.slice(0, ECHO_MAX_CHARS - 3) + "...",
    });
  });

  it("posts to /widgets under a bare maker URL, or to the URL given with a path", () => {
    assert.equal(widgetsEndpoint("http://127.0.0.1:8080"), "http://127.0.0.1:8080/widgets");
    assert.equal(widgetsEndpoint("http://maker.local/add"), "http://maker.local/add");
  });
});
