import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { buildGoProgram, GO } from "./go-build.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * The AWS SDK for Go v1 as Debian ships it (golang-github-aws-aws-sdk-go-dev
 * 1.44, the Query protocol), built from its Debian sources with Debian's Go,
 * against a broker that checks SigV4. The Go program checks each answer
 * itself and prints a JSON summary, checked here.
 */

const SDK = "/usr/share/gocode/src/github.com/aws/aws-sdk-go";
const SOURCES = fileURLToPath(new URL("./fixtures/go-sdk-session", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  sdk: string;
  steps: string[];
  /** Each refused call's error code, HTTP status, and whether the SDK's modelled code is that code. */
  errors: Record<string, [string, number, boolean]>;
  fifoBodies: string[];
}

describe("AWS SDK for Go v1 (Debian 1.44, Query protocol) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs the course's calls, with the SDK's own MD5 checks, and sees AWS's error codes", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(GO, "golang-go");
    requireDebianFile(SDK, "golang-github-aws-aws-sdk-go-dev");
    const program = await buildGoProgram(SOURCES, client, t.signal);

    const prefix = broker.uniqueName("go");
    const summary = await runSession<SessionSummary>(program, [broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: t.signal,
    });

    assert.match(summary.sdk, /^1\./);
    assert.equal(summary.steps.length, 6);
    assert.deepEqual(summary.errors, {
      "get_queue_url of a missing queue": ["AWS.SimpleQueueService.NonExistentQueue", 400, true],
      "delete_message with a bogus receipt handle": ["ReceiptHandleIsInvalid", 400, true],
      "FIFO send without MessageGroupId": ["MissingParameter", 400, true],
      "purge_queue twice within 60 s": ["AWS.SimpleQueueService.PurgeQueueInProgress", 403, true],
      "send_message to a deleted queue": ["AWS.SimpleQueueService.NonExistentQueue", 400, true],
    });
    assert.deepEqual(summary.fifoBodies, ["a", "b", "c"]);
  });
});
