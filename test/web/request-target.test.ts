import assert from "node:assert/strict";
import { test } from "node:test";
import { splitRequestTarget } from "../../src/web/request-target.ts";

test("an origin-form target is split at its first `?`", () => {
  assert.deepEqual(splitRequestTarget("/000000000000/q?Action=X&b=?"), {
    path: "/000000000000/q",
    query: "Action=X&b=?",
  });
  assert.deepEqual(splitRequestTarget("/"), { path: "/", query: "" });
  assert.deepEqual(splitRequestTarget("/health?"), { path: "/health", query: "" });
});

test("an absolute-form target counts by its path and query (RFC 9112 section 3.2.2)", () => {
  assert.deepEqual(splitRequestTarget("http://127.0.0.1:4566/000000000000/q?x=1"), {
    path: "/000000000000/q",
    query: "x=1",
  });
  assert.deepEqual(splitRequestTarget("HTTP://Mailroom.Local:9324"), { path: "/", query: "" });
  assert.deepEqual(splitRequestTarget("https://sqs.local?Action=ListQueues"), {
    path: "/",
    query: "Action=ListQueues",
  });
});

test("a target that is neither is left as it is, for the protocols to refuse", () => {
  assert.deepEqual(splitRequestTarget("queue?x"), { path: "queue", query: "x" });
  assert.deepEqual(splitRequestTarget("*"), { path: "*", query: "" });
});
