import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { buildGoProgram, GO } from "./go-build.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * The AWS SDK for Go v2 as Debian ships it (golang-github-aws-aws-sdk-go-v2-dev
 * 1.17, service/sqs 1.19: the Query protocol), built from its Debian sources
 * with Debian's Go, against a broker that checks SigV4. Its XML decoders and
 * error types are generated per operation from the Smithy model, not v1's
 * reflection over one shape table, so they are a second reading of each
 * answer. The Go program checks each answer itself and prints a JSON summary,
 * checked here.
 */

const SDK = "/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/service/sqs";
const SOURCES = fileURLToPath(new URL("./fixtures/go-sdk-v2-session", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  sdk: string;
  steps: string[];
  /** Each refused call's error code, HTTP status, and the Go type the SDK decoded it to. */
  errors: Record<string, [string, number, string]>;
  /** Each failed batch entry's Code and SenderFault. */
  batchFailures: Record<string, [string, boolean]>;
  fifoBodies: string[];
  deadLetterSources: string[];
  wrongMD5Refused: boolean;
}

describe("AWS SDK for Go v2 (Debian 1.17, Query protocol) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs the course's calls, with the SDK's own MD5 checks, and sees AWS's error codes", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(GO, "golang-go");
    requireDebianFile(SDK, "golang-github-aws-aws-sdk-go-v2-dev");
    const program = await buildGoProgram(SOURCES, client, t.signal);

    const prefix = broker.uniqueName("gov2");
    const summary = await runSession<SessionSummary>(program, [broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: t.signal,
    });

    assert.match(summary.sdk, /^1\./);
    assert.equal(summary.steps.length, 8);
    // The SDK decodes a code to its modelled type only where the operation's
    // model lists it: SendMessage's does not list QueueDoesNotExist.
    assert.deepEqual(summary.errors, {
      "get_queue_url of a missing queue": [
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        "*types.QueueDoesNotExist",
      ],
      "delete_message with a bogus receipt handle": [
        "ReceiptHandleIsInvalid",
        400,
        "*types.ReceiptHandleIsInvalid",
      ],
      "change_message_visibility with a bogus receipt handle": [
        "ReceiptHandleIsInvalid",
        400,
        "*types.ReceiptHandleIsInvalid",
      ],
      "FIFO send without MessageGroupId": ["MissingParameter", 400, "*smithy.GenericAPIError"],
      "send_message_batch with a repeated Id": [
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        400,
        "*types.BatchEntryIdsNotDistinct",
      ],
      "get_queue_attributes of an unknown attribute": [
        "InvalidAttributeName",
        400,
        "*types.InvalidAttributeName",
      ],
      "create_queue with a bad name": ["InvalidParameterValue", 400, "*smithy.GenericAPIError"],
      "purge_queue twice within 60 s": [
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        403,
        "*types.PurgeQueueInProgress",
      ],
      "send_message to a deleted queue": [
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        "*smithy.GenericAPIError",
      ],
      "purge_queue of a deleted queue": [
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        "*types.QueueDoesNotExist",
      ],
    });
    // A bad handle in a batch fails only its entry, in a 200 answer.
    assert.deepEqual(summary.batchFailures, {
      "delete_message_batch entry bogus": ["ReceiptHandleIsInvalid", true],
    });
    assert.deepEqual(summary.fifoBodies, ["a", "b", "c", "d"]);
    assert.deepEqual(summary.deadLetterSources, [`${broker.endpoint}/000000000000/${prefix}-work`]);
    assert.equal(summary.wrongMD5Refused, true);
  });
});
