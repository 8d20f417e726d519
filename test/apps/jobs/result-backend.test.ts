import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DynamoResultBackend,
  ensureResultsTable,
} from "../../../src/apps/jobs/dynamodb-result-backend.ts";
import type { ResultBackend } from "../../../src/apps/jobs/result-backend.ts";
import { SqliteResultBackend } from "../../../src/apps/jobs/sqlite-result-backend.ts";
import { startDynamoServer } from "../../support/dynamo-server.ts";
import type { TestDynamoServer } from "../../support/dynamo-server.ts";

/** One contract, proved against every result backend. */
function resultBackendContract(name: string, open: () => Promise<ResultBackend>) {
  describe(`${name} result backend`, () => {
    it("records a job's life: queued, started, retrying, started again, succeeded with its result", async () => {
      const backend = await open();
      await backend.queued({ id: "a", task: "t", enqueuedAt: 1000 });
      assert.deepEqual(await backend.get("a"), {
        id: "a",
        task: "t",
        status: "queued",
        attempts: 0,
        enqueuedAt: 1000,
        updatedAt: 1000,
      });
      await backend.started("a", 1, 1100);
      await backend.retrying("a", "boom", 1200);
      assert.deepEqual(
        [(await backend.get("a"))?.status, (await backend.get("a"))?.error],
        ["retrying", "boom"],
      );
      await backend.started("a", 2, 1300);
      await backend.succeeded("a", { answer: 42 }, 1400);
      const done = await backend.get("a");
      assert.deepEqual(
        {
          status: done?.status,
          attempts: done?.attempts,
          result: done?.result,
          error: done?.error,
          startedAt: done?.startedAt,
          finishedAt: done?.finishedAt,
        },
        {
          status: "succeeded",
          attempts: 2,
          result: { answer: 42 },
          error: undefined,
          startedAt: 1300,
          finishedAt: 1400,
        },
      );
    });

    it("never lets a late or repeated write undo a final status", async () => {
      const backend = await open();
      await backend.queued({ id: "b", task: "t", enqueuedAt: 1 });
      await backend.succeeded("b", "ok", 2);
      await backend.queued({ id: "b", task: "t", enqueuedAt: 3 });
      await backend.started("b", 3, 4);
      await backend.retrying("b", "late", 5);
      await backend.failed("b", "late", 6);
      await backend.superseded("b", "late", 7);
      const record = await backend.get("b");
      assert.deepEqual(
        [record?.status, record?.result, record?.enqueuedAt],
        ["succeeded", "ok", 1],
      );
      assert.equal(await backend.get("nope"), undefined);
    });

    it("knows the newest version of a coalescing key, leaving out jobs never sent", async () => {
      const backend = await open();
      const key = `k-${randomBytes(3).toString("hex")}`;
      assert.equal(await backend.latestVersion(key), undefined);
      for (const version of [1, 3, 2]) {
        await backend.queued({
          id: `${key}-${version}`,
          task: "t",
          enqueuedAt: version,
          coalesceKey: key,
          version,
        });
      }
      assert.equal(await backend.latestVersion(key), 3);
      await backend.queued({
        id: `${key}-4`,
        task: "t",
        enqueuedAt: 4,
        coalesceKey: key,
        version: 4,
      });
      await backend.failed(`${key}-4`, "could not send it", 5);
      assert.equal(await backend.latestVersion(key), 3);
      await backend.superseded(`${key}-1`, "version 3 was enqueued since", 6);
      assert.equal((await backend.get(`${key}-1`))?.status, "superseded");
    });

    it("lists a task's jobs oldest first and counts them by status", async () => {
      const backend = await open();
      const task = `task-${randomBytes(3).toString("hex")}`;
      for (const [index, id] of ["x", "y", "z"].entries()) {
        await backend.queued({ id: `${task}-${id}`, task, enqueuedAt: 100 + index });
      }
      await backend.started(`${task}-y`, 1, 200);
      await backend.succeeded(`${task}-y`, null, 201);
      await backend.failed(`${task}-z`, "no", 202);
      assert.deepEqual(
        (await backend.list({ task })).map((job) => job.id),
        [`${task}-x`, `${task}-y`, `${task}-z`],
      );
      assert.deepEqual(
        (await backend.list({ task, status: "succeeded" })).map((job) => job.id),
        [`${task}-y`],
      );
      assert.deepEqual(await backend.countByStatus(task), {
        queued: 1,
        started: 0,
        retrying: 0,
        succeeded: 1,
        failed: 1,
        superseded: 0,
      });
    });
  });
}

const folder = mkdtempSync(join(tmpdir(), "mailroom-results-"));
const opened: ResultBackend[] = [];
after(async () => {
  for (const backend of opened) await backend.close();
  rmSync(folder, { recursive: true, force: true });
});

resultBackendContract("SQLite", async () => {
  const backend = new SqliteResultBackend(join(folder, `${randomBytes(4).toString("hex")}.db`));
  opened.push(backend);
  return backend;
});

describe("with dynalite", () => {
  let server: TestDynamoServer;
  before(async () => {
    server = await startDynamoServer();
  });
  after(async () => server?.close());
  resultBackendContract("DynamoDB", async () => {
    const table = `jobs-${randomBytes(4).toString("hex")}`;
    await ensureResultsTable(server.client, table);
    return new DynamoResultBackend({ documents: server.documents, table });
  });
});
