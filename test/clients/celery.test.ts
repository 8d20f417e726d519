import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { waitUntil } from "../support/wait-until.ts";
import { requireDebianFile } from "./client-environment.ts";
import { describeRun, runClient } from "./client-process.ts";
import { signedBrokerSuite } from "./client-suite.ts";

/**
 * Celery, the course's worker queue, on Kombu's SQS transport (Debian's
 * Celery 5.2 / Kombu 5.2), against a broker that checks SigV4. Kombu
 * receives and deletes through its own pycurl connection, not botocore's:
 * Query requests posted to the queue's URL with no QueueUrl parameter, and
 * deletes as presigned GETs. A worker runs in one process; the producer
 * script sends tasks, waits for their results and prints what it saw.
 */

const PYTHON = "/usr/bin/python3";
const DEBIAN_PACKAGES: [path: string, name: string][] = [
  ["/usr/lib/python3/dist-packages/celery", "python3-celery"],
  ["/usr/lib/python3/dist-packages/kombu", "python3-kombu"],
  ["/usr/lib/python3/dist-packages/curl", "python3-pycurl"],
];
const SCRIPT = fileURLToPath(new URL("./fixtures/celery-session.py", import.meta.url));
const SESSION_TIMEOUT_MS = 90_000;

interface SessionSummary {
  sums: number[];
  countdownSeconds: number;
  retried: { value: string; retries: number };
  fifoOrder: number[];
}

describe("Celery (Debian 5.2, Kombu's SQS transport) against a SigV4 broker", () => {
  const suite = signedBrokerSuite();

  it("runs tasks, a countdown, a retry and a FIFO queue in order through a worker", async (t) => {
    const { broker, client } = suite;
    requireDebianFile(PYTHON, "python3");
    for (const [path, name] of DEBIAN_PACKAGES) requireDebianFile(path, name);
    const prefix = broker.uniqueName("celery");
    const results = join(client.dir, "results");
    mkdirSync(results);
    const args = [broker.endpoint, prefix, results];

    const stopWorker = new AbortController();
    const workerLines: string[] = [];
    let workerEnded = false;
    const worker = runClient(PYTHON, [SCRIPT, "worker", ...args], {
      env: client.env,
      timeoutMs: SESSION_TIMEOUT_MS,
      signal: AbortSignal.any([t.signal, stopWorker.signal]),
      onLine: (line) => workerLines.push(line),
    }).finally(() => (workerEnded = true));
    const workerOutput = () => `--- worker ---\n${workerLines.join("\n")}`;
    try {
      // The worker creates its queues as it starts; tasks sent before that
      // would create them first, without the worker's attributes.
      await waitUntil(
        async () => {
          if (workerEnded) return true;
          const listed = await broker.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
          return (
            workerLines.some((line) => line.includes("ready.")) && listed.QueueUrls?.length === 2
          );
        },
        30_000,
        "the worker ready, with its two queues",
      ).catch((error: Error) => assert.fail(`${error.message}\n${workerOutput()}`));
      assert.ok(!workerEnded, `the worker ended as it started\n${workerOutput()}`);

      const run = await runClient(PYTHON, [SCRIPT, "produce", ...args], {
        env: client.env,
        timeoutMs: SESSION_TIMEOUT_MS,
        signal: t.signal,
      });
      assert.equal(run.code, 0, `${describeRun(run)}\n${workerOutput()}`);
      const summary = JSON.parse(run.stdout) as SessionSummary;

      assert.deepEqual(
        summary.sums,
        Array.from({ length: 10 }, (_, i) => i + 100),
      );
      assert.ok(summary.countdownSeconds >= 1.9, `countdown took ${summary.countdownSeconds} s`);
      assert.deepEqual(summary.retried, { value: "widget", retries: 1 });
      assert.deepEqual(summary.fifoOrder, [0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      stopWorker.abort();
      await worker;
    }
    const failures = workerLines.filter((line) => /Traceback|ERROR\/|CRITICAL\//.test(line));
    assert.deepEqual(failures, [], workerOutput());
  });
});
