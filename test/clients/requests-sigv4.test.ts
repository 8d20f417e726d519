import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * Hand-written SQS calls signed by a SigV4 library that knows nothing of SQS:
 * Python's requests with Debian's python3-aws-requests-auth 0.4, an
 * implementation of the signature independent of botocore's. It signs
 * whatever it is given, so the script shapes requests every way a
 * hand-written client can: Query GETs (to `/` and to the queue URL), form
 * POSTs (to both), a JSON POST, and a body with every character a form
 * encoder escapes. The script checks each answer and prints a JSON summary,
 * checked here.
 */

const PYTHON = "/usr/bin/python3";
const AWS_REQUESTS_AUTH = "/usr/lib/python3/dist-packages/aws_requests_auth";
const SCRIPT = fileURLToPath(new URL("./fixtures/requests-sigv4-session.py", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  steps: string[];
  /** Each refused call's Query error code and HTTP status. */
  errors: Record<string, [string, number]>;
}

describe("requests with aws-requests-auth (Debian 0.4), hand-written calls, against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("signs Query GETs, form and JSON POSTs the broker accepts, and is refused with another secret", async () => {
    const { broker, client } = suite;
    requireDebianFile(AWS_REQUESTS_AUTH, "python3-aws-requests-auth");
    const prefix = broker.uniqueName("requests");
    const summary = await runSession<SessionSummary>(PYTHON, [SCRIPT, broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
    });

    assert.equal(summary.steps.length, 7);
    assert.deepEqual(summary.errors, {
      "another secret": ["SignatureDoesNotMatch", 403],
      "no signature": ["MissingAuthenticationToken", 403],
    });
  });
});
