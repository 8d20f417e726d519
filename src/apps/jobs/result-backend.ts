import type { JobRecord, JobStatus } from "./job-record.ts";

/** What `enqueue` records before the job's message is sent. */
export interface QueuedJob {
  readonly id: string;
  readonly task: string;
  readonly coalesceKey?: string;
  readonly version?: number;
  readonly enqueuedAt: number;
}

/**
 * Where jobs' statuses and results are kept, as Celery's result backend:
 * written by the enqueuing app and by the workers, read by whoever wants to
 * know how a job went. Every write is keyed by job id and safe to repeat (a
 * message can be delivered twice).
 */
export interface ResultBackend {
  /** Where the records are, for messages: a file, a table. */
  readonly location: string;
  /** A new job, `queued`; a job id seen before is left as it is. */
  queued(job: QueuedJob): Promise<void>;
  /** An attempt starts: `started`, attempts = `attempt`. */
  started(id: string, attempt: number, at: number): Promise<void>;
  /** An attempt failed and the job will be tried again. */
  retrying(id: string, error: string, at: number): Promise<void>;
  succeeded(id: string, result: unknown, at: number): Promise<void>;
  /** Gave up: the job's message went to the dead-letter queue (or was dropped). */
  failed(id: string, error: string, at: number): Promise<void>;
  /** Never ran: a newer version with the same coalescing key was enqueued. */
  superseded(id: string, reason: string, at: number): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** The newest version enqueued under a coalescing key; undefined when none. */
  latestVersion(key: string): Promise<number | undefined>;
  /** Jobs of a task, oldest first, optionally of one status; at most `limit` (default 10,000). */
  list(filter: { task: string; status?: JobStatus; limit?: number }): Promise<JobRecord[]>;
  /** Jobs counted by status, for a task or all tasks. */
  countByStatus(task?: string): Promise<Record<JobStatus, number>>;
  close(): Promise<void>;
}
