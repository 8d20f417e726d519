import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * The AWS SDK for Ruby v1 as Debian ships it (ruby-aws-sdk 1.67, the Query
 * protocol, of the Java SDK v1's generation, whose producer.jar cannot be
 * run here: Debian has no Java SDK) against a broker that checks SigV4. The
 * SDK checks body and attribute MD5s itself; the Ruby script checks each
 * answer and prints a JSON summary, checked here.
 */

const RUBY = "/usr/bin/ruby";
const AWS_SDK_V1 = "/usr/lib/ruby/vendor_ruby/aws-sdk-v1.rb";
const SCRIPT = fileURLToPath(new URL("./fixtures/ruby-sdk-v1-session.rb", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  steps: string[];
  /** Each refused call's error code and HTTP status. */
  errors: Record<string, [string, number]>;
  bodies: string[];
  /** The message attribute names received on the attributed message. */
  attributes: string[];
}

describe("the AWS SDK for Ruby v1 (Debian 1.67, Query protocol) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs the course's calls and sees AWS's answers and error codes", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(AWS_SDK_V1, "ruby-aws-sdk");
    const prefix = broker.uniqueName("ruby");
    const summary = await runSession<SessionSummary>(RUBY, [SCRIPT, broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: t.signal,
    });

    assert.equal(summary.steps.length, 7);
    assert.deepEqual(summary.bodies, ["one", "two", 'widget <&> "quoted" café 😀']);
    assert.deepEqual(summary.attributes, ["count", "kind", "raw"]);
    assert.deepEqual(summary.errors, {
      "get_queue_url of a missing queue": ["AWS.SimpleQueueService.NonExistentQueue", 400],
      "delete_message with a bogus receipt handle": ["ReceiptHandleIsInvalid", 400],
      "a visibility timeout over 12 hours": ["InvalidAttributeValue", 400],
    });
  });
});
