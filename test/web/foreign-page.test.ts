import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foreignPageRefusal } from "../../src/web/foreign-page.ts";
import type { ForeignPageOptions } from "../../src/web/foreign-page.ts";

describe("foreignPageRefusal", () => {
  const loopback = { loopbackOnly: true };
  const refused = (headers: Record<string, string>, options: ForeignPageOptions = loopback) =>
    foreignPageRefusal(headers, options) !== undefined;

  it("answers clients that are not browsers, whatever their Host", () => {
    assert.equal(refused({ host: "sqs.example:9324" }), false);
    assert.equal(refused({ host: "127.0.0.1:9324", "sec-fetch-mode": "cors" }), false);
  });

  it("answers a browser on the page's own origin, at a loopback name", () => {
    for (const host of ["127.0.0.1:9324", "localhost:9324", "app.localhost:9324", "[::1]:9324"]) {
      assert.equal(
        refused({ host, origin: `http://${host}`, "sec-fetch-site": "same-origin" }),
        false,
        host,
      );
    }
  });

  it("refuses other origins, opaque and unreadable ones too", () => {
    const host = "127.0.0.1:9324";
    for (const origin of ["http://evil.example", "http://127.0.0.1:1", "null", "not a url"]) {
      assert.equal(refused({ host, origin }), true, origin);
    }
    assert.equal(refused({ host, "sec-fetch-site": "cross-site" }), true);
    assert.equal(refused({ host, "sec-fetch-site": "same-site" }), true);
  });

  it("refuses a browser that reaches a loopback server by another name, unless it is the allowed one", () => {
    const rebound = { host: "attacker.example:9324", "sec-fetch-site": "same-origin" };
    assert.equal(refused(rebound), true);
    assert.equal(refused(rebound, { loopbackOnly: false }), false);
    const proxied = { host: "sqs.example", origin: "https://sqs.example" };
    assert.equal(refused(proxied, { loopbackOnly: true, allowedHost: "sqs.example" }), false);
  });

  it("takes the allowed host's origin behind a proxy that rewrote Host", () => {
    const options = { loopbackOnly: true, allowedHost: "sqs.example" };
    const behindProxy = { host: "127.0.0.1:9325", origin: "https://sqs.example" };
    assert.equal(refused(behindProxy, options), false);
    assert.equal(refused({ ...behindProxy, origin: "https://evil.example" }, options), true);
  });
});
