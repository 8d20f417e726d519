import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { after, describe, it } from "node:test";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";

/**
 * After a failed commit the broker's memory holds changes its database does
 * not; the metrics routes must not show them as the SQS API refuses them.
 */
describe("metrics after a failed commit", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-failed-commit-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("/metrics, /_mailroom/queues and /_mailroom/metrics answer 503, as the SQS API does", async () => {
    // Given a broker on SQLite whose next commit fails: another connection holds the write lock
    const broker = await startTestBroker({ inMemory: false, dataDir });
    const other = new Database(join(dataDir, "mailroom.db"));
    try {
      other.exec("BEGIN IMMEDIATE");

      // When a CreateQueue is refused for it
      await assert.rejects(
        broker.sqs.send(new CreateQueueCommand({ QueueName: "refused" })),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
          error.$metadata?.httpStatusCode === 503,
      );
      other.exec("ROLLBACK");

      // Then the metrics routes answer 503 too, and show no trace of the refused queue
      for (const path of ["/metrics", "/_mailroom/queues", "/_mailroom/metrics/refused"]) {
        const got = await fetch(`${broker.endpoint}${path}`);
        const body = await got.text();
        assert.equal(got.status, 503, `${path}: ${body}`);
        assert.match(body, /ServiceUnavailable/, path);
        assert.match(body, /locked/, `${path} says why: ${body}`);
      }
    } finally {
      other.close();
      await broker.close().catch(() => undefined);
    }
  });
});
