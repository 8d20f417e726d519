import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * Debian's boto3 1.26 / botocore 1.29 (the Query protocol) against an
 * in-process broker on the real clock that checks SigV4. The Python script
 * checks each answer itself (MD5s recomputed, bodies, attributes, counts) and
 * stops at the first difference, naming the step; on success it prints a JSON
 * summary checked here.
 */

const PYTHON = "/usr/bin/python3";
const BOTO3 = "/usr/lib/python3/dist-packages/boto3";
const SCRIPT = fileURLToPath(new URL("./fixtures/boto3-session.py", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  boto3: string;
  steps: string[];
  /** Each refused call's `e.response['Error']['Code']` and HTTP status. */
  errors: Record<string, [string, number]>;
  longPollSeconds: number;
  fifoBodies: string[];
  deadLetterSources: string[];
  resource: { body: string; client: string };
  modelledException: string;
}

describe("boto3 (Debian 1.26, Query protocol) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs the course's calls (client and resource APIs) and sees AWS's answers and error codes", async () => {
    const { broker, client } = suite;
    requireDebianFile(PYTHON, "python3");
    requireDebianFile(BOTO3, "python3-boto3");
    const prefix = broker.uniqueName("boto3");
    const summary = await runSession<SessionSummary>(PYTHON, [SCRIPT, broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
    });

    assert.match(summary.boto3, /^1\./);
    assert.equal(summary.steps.length, 9);
    assert.deepEqual(summary.errors, {
      "purge_queue twice within 60 s": ["AWS.SimpleQueueService.PurgeQueueInProgress", 403],
      "FIFO send without MessageGroupId": ["MissingParameter", 400],
      "get_queue_url of a missing queue": ["AWS.SimpleQueueService.NonExistentQueue", 400],
      "delete_message with a bogus receipt handle": ["ReceiptHandleIsInvalid", 400],
      "send_message_batch with a repeated Id": [
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        400,
      ],
      "create_queue with a bad name": ["InvalidParameterValue", 400],
      "send_message to a deleted queue": ["AWS.SimpleQueueService.NonExistentQueue", 400],
    });
    // botocore maps the Query code to the modelled exception course code catches
    assert.equal(summary.modelledException, "QueueDoesNotExist");
    assert.deepEqual(summary.fifoBodies, ["a", "b", "c", "d"]);
    assert.deepEqual(summary.deadLetterSources, [`${broker.endpoint}/000000000000/${prefix}-work`]);
    assert.deepEqual(summary.resource, { body: "hello from the resource API", client: "Client 2" });
    assert.ok(summary.longPollSeconds >= 0.9, `long poll took ${summary.longPollSeconds} s`);
  });
});
