import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { requireDebianFile } from "./client-environment.ts";
import { runSession } from "./client-process.ts";
import { openBrokerSuite } from "./client-suite.ts";

/**
 * Perl's Amazon::SQS::Simple as Debian ships it (libamazon-sqs-simple-perl
 * 2.07), a client of SQS's first Query API: forms posted with an
 * X-Amz-Target header, to the queue URL, attributes set and read unnumbered,
 * Host sent without the port. Its signer scopes every host but AWS's own to
 * the service "s3", which SQS refuses (as the broker does), so this broker
 * checks no signatures, as a local broker on loopback does by default. The
 * Perl script checks each answer itself and prints a JSON summary, checked
 * here.
 */

const PERL = "/usr/bin/perl";
const SQS_SIMPLE = "/usr/share/perl5/Amazon/SQS/Simple.pm";
const SCRIPT = fileURLToPath(new URL("./fixtures/perl-sqs-simple-session.pl", import.meta.url));
const SESSION_TIMEOUT_MS = 60_000;

interface SessionSummary {
  steps: string[];
  /** Each refused call's Query error code and HTTP status. */
  errors: Record<string, [string, number]>;
  bodies: string[];
}

describe("Perl's Amazon::SQS::Simple (Debian 2.07, Query protocol) against an open broker", () => {
  const suite = openBrokerSuite();

  it("runs the course's calls and sees AWS's answers and error codes", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(SQS_SIMPLE, "libamazon-sqs-simple-perl");
    const prefix = broker.uniqueName("perl");
    const summary = await runSession<SessionSummary>(PERL, [SCRIPT, broker.endpoint, prefix], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: t.signal,
    });

    assert.equal(summary.steps.length, 7);
    assert.deepEqual(summary.bodies, ["one", "three", "two", 'widget <&> "quoted" café 😀']);
    assert.deepEqual(summary.errors, {
      "send to a missing queue": ["AWS.SimpleQueueService.NonExistentQueue", 400],
      "delete with a bogus receipt handle": ["ReceiptHandleIsInvalid", 400],
    });
  });
});
