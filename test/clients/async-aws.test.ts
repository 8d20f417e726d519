import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * AsyncAws SQS for PHP as Debian ships it (php-async-aws-sqs 1.7, the Query
 * protocol, with its own signer and XML reader) against a broker that checks
 * SigV4. The PHP script checks each answer itself (MD5s recomputed, bodies,
 * attributes, counts) and prints a JSON summary, checked here.
 */

const PHP = "/usr/bin/php";
const ASYNC_AWS_SQS = "/usr/share/php/AsyncAws/Sqs";
const SCRIPT = fileURLToPath(new URL("./fixtures/async-aws-session.php", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  steps: string[];
  /** Each refused call's error code, HTTP status and the exception class AsyncAws threw. */
  errors: Record<string, [string, number, string]>;
  fifoBodies: string[];
}

describe("AsyncAws SQS for PHP (Debian 1.7, Query protocol) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs the course's calls and sees AWS's answers, error codes and exceptions", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(PHP, "php-cli");
    requireDebianFile(ASYNC_AWS_SQS, "php-async-aws-sqs");
    const prefix = broker.uniqueName("php");
    const summary = await runSession<SessionSummary>(PHP, [SCRIPT, broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: t.signal,
    });

    assert.equal(summary.steps.length, 6);
    // AsyncAws maps a code to its exception per operation, from the model
    // of its day: SendMessage lists no QueueDoesNotExist, so that one is
    // the generic ClientException, as against SQS.
    assert.deepEqual(summary.errors, {
      "get_queue_url of a missing queue": [
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        "QueueDoesNotExistException",
      ],
      "delete_message with a bogus receipt handle": [
        "ReceiptHandleIsInvalid",
        400,
        "ReceiptHandleIsInvalidException",
      ],
      "FIFO send without MessageGroupId": ["MissingParameter", 400, "ClientException"],
      "purge_queue twice within 60 s": [
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        403,
        "PurgeQueueInProgressException",
      ],
      "send_message to a deleted queue": [
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        "ClientException",
      ],
    });
    assert.deepEqual(summary.fifoBodies, ["a", "b", "c"]);
  });
});
