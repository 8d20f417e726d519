import { resolve } from "node:path";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { openSharedSqlite } from "../sqlite-file.ts";
import type { JobRecord, JobStatus } from "./job-record.ts";
import type { QueuedJob, ResultBackend } from "./result-backend.ts";

/** Final statuses, which no later `started` or `retrying` (a late duplicate delivery) undoes. */
const NOT_FINAL = "status NOT IN ('succeeded', 'failed', 'superseded')";

interface PendingWrite {
  run(): unknown;
  resolve(): void;
  reject(error: unknown): void;
}

interface InsertRow {
  id: string;
  task: string;
  enqueuedAt: number;
  coalesceKey: string | null;
  version: number | null;
}

interface JobRow {
  id: string;
  task: string;
  status: JobStatus;
  attempts: number;
  result: string | null;
  error: string | null;
  coalesce_key: string | null;
  version: number | null;
  enqueued_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

/**
 * Job records in one SQLite file that the web app and every worker on the
 * machine share (WAL: readers beside the one writer; each write is one short
 * transaction). `synchronous = NORMAL`: a crashed process loses nothing, a
 * crashed machine may lose the last records, which the jobs' messages
 * outlive anyway.
 */
export class SqliteResultBackend implements ResultBackend {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly pending: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly writeAll: (batch: readonly PendingWrite[]) => void;
  private readonly statements: {
    insert: Statement<[InsertRow]>;
    started: Statement<[number, number, number, string]>;
    retrying: Statement<[string, number, string]>;
    succeeded: Statement<[string, number, number, string]>;
    failed: Statement<[string, number, number, string]>;
    superseded: Statement<[string, number, number, string]>;
    get: Statement<[string], JobRow>;
    latest: Statement<[string], { version: number | null }>;
    list: Statement<[string, string | null, string | null, number], JobRow>;
    countAll: Statement<[], { status: JobStatus; count: number }>;
    countTask: Statement<[string], { status: JobStatus; count: number }>;
  };

  constructor(file: string) {
    this.location = resolve(file);
    this.db = openSharedSqlite(file);
    this.writeAll = this.db.transaction((batch: readonly PendingWrite[]) => {
      for (const write of batch) write.run();
    });
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS jobs (
         id TEXT PRIMARY KEY,
         task TEXT NOT NULL,
         status TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         result TEXT,
         error TEXT,
         coalesce_key TEXT,
         version INTEGER,
         enqueued_at INTEGER NOT NULL,
         started_at INTEGER,
         finished_at INTEGER,
         updated_at INTEGER NOT NULL
       ) WITHOUT ROWID;
       CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs (coalesce_key, version)
         WHERE coalesce_key IS NOT NULL;`,
    );
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO jobs (id, task, status, coalesce_key, version, enqueued_at, updated_at)
         VALUES (@id, @task, 'queued', @coalesceKey, @version, @enqueuedAt, @enqueuedAt)
         ON CONFLICT (id) DO NOTHING`,
      ),
      started: this.db.prepare(
        `UPDATE jobs SET status = 'started', attempts = max(attempts, ?), started_at = ?,
           updated_at = ? WHERE id = ? AND ${NOT_FINAL}`,
      ),
      retrying: this.db.prepare(
        `UPDATE jobs SET status = 'retrying', error = ?, updated_at = ?
         WHERE id = ? AND ${NOT_FINAL}`,
      ),
      succeeded: this.db.prepare(
        `UPDATE jobs SET status = 'succeeded', result = ?, error = NULL, finished_at = ?,
           updated_at = ? WHERE id = ?`,
      ),
      failed: this.db.prepare(
        `UPDATE jobs SET status = 'failed', error = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND status <> 'succeeded'`,
      ),
      superseded: this.db.prepare(
        `UPDATE jobs SET status = 'superseded', error = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND ${NOT_FINAL}`,
      ),
      get: this.db.prepare("SELECT * FROM jobs WHERE id = ?"),
      // A job whose message was never sent (failed with no attempt) supersedes nothing.
      latest: this.db.prepare(
        `SELECT max(version) AS version FROM jobs
         WHERE coalesce_key = ? AND (status <> 'failed' OR attempts > 0)`,
      ),
      list: this.db.prepare(
        `SELECT * FROM jobs WHERE task = ? AND (? IS NULL OR status = ?)
         ORDER BY enqueued_at, id LIMIT ?`,
      ),
      countAll: this.db.prepare("SELECT status, count(*) AS count FROM jobs GROUP BY status"),
      countTask: this.db.prepare(
        "SELECT status, count(*) AS count FROM jobs WHERE task = ? GROUP BY status",
      ),
    };
  }

  queued(job: QueuedJob): Promise<void> {
    return this.write(() =>
      this.statements.insert.run({
        id: job.id,
        task: job.task,
        enqueuedAt: job.enqueuedAt,
        coalesceKey: job.coalesceKey ?? null,
        version: job.version ?? null,
      }),
    );
  }

  started(id: string, attempt: number, at: number): Promise<void> {
    return this.write(() => this.statements.started.run(attempt, at, at, id));
  }

  retrying(id: string, error: string, at: number): Promise<void> {
    return this.write(() => this.statements.retrying.run(error, at, id));
  }

  succeeded(id: string, result: unknown, at: number): Promise<void> {
    const json = JSON.stringify(result ?? null);
    return this.write(() => this.statements.succeeded.run(json, at, at, id));
  }

  failed(id: string, error: string, at: number): Promise<void> {
    return this.write(() => this.statements.failed.run(error, at, at, id));
  }

  superseded(id: string, reason: string, at: number): Promise<void> {
    return this.write(() => this.statements.superseded.run(reason, at, at, id));
  }

  async get(id: string): Promise<JobRecord | undefined> {
    this.flush();
    const row = this.statements.get.get(id);
    return row === undefined ? undefined : recordOf(row);
  }

  async latestVersion(key: string): Promise<number | undefined> {
    this.flush();
    return this.statements.latest.get(key)?.version ?? undefined;
  }

  async list(filter: { task: string; status?: JobStatus; limit?: number }): Promise<JobRecord[]> {
    const status = filter.status ?? null;
    this.flush();
    return this.statements.list
      .all(filter.task, status, status, filter.limit ?? 10_000)
      .map(recordOf);
  }

  async countByStatus(task?: string): Promise<Record<JobStatus, number>> {
    const counts: Record<JobStatus, number> = {
      queued: 0,
      started: 0,
      retrying: 0,
      succeeded: 0,
      failed: 0,
      superseded: 0,
    };
    this.flush();
    const rows =
      task === undefined ? this.statements.countAll.all() : this.statements.countTask.all(task);
    for (const { status, count } of rows) counts[status] = count;
    return counts;
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }

  /**
   * Group commit: the writes asked for in one event-loop turn go into one
   * transaction, each resolved once it is committed. A web app answering 50
   * requests at once, or a worker settling a burst of superseded jobs, then
   * takes the write lock once rather than 50 times, and waits less for the
   * other processes that share the file.
   */
  private write(run: () => unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ run, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits the pending writes now (reads call it first, so they see them). */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    try {
      this.writeAll(batch);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    for (const write of batch) write.resolve();
  }
}

function recordOf(row: JobRow): JobRecord {
  return {
    id: row.id,
    task: row.task,
    status: row.status,
    attempts: row.attempts,
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as unknown }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.coalesce_key === null ? {} : { coalesceKey: row.coalesce_key }),
    ...(row.version === null ? {} : { version: row.version }),
    enqueuedAt: row.enqueued_at,
    ...(row.started_at === null ? {} : { startedAt: row.started_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    updatedAt: row.updated_at,
  };
}
