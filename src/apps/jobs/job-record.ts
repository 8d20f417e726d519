/**
 * Where a job is in its life, as Celery's states name it (PENDING, STARTED,
 * RETRY, SUCCESS, FAILURE), plus `superseded`: a coalesced job that a newer
 * version of the same work made unnecessary, so it never ran.
 */
export const JOB_STATUSES = [
  "queued",
  "started",
  "retrying",
  "succeeded",
  "failed",
  "superseded",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The statuses a job does not leave. */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  "succeeded",
  "failed",
  "superseded",
]);

/** A job's record in the result backend. Times are epoch ms. */
export interface JobRecord {
  readonly id: string;
  readonly task: string;
  readonly status: JobStatus;
  /** Runs started so far (a retry or a worker killed mid-job adds one). */
  readonly attempts: number;
  /** The task's result once it succeeded (JSON). */
  readonly result?: unknown;
  /** The last error: why the last attempt failed, or why it was superseded. */
  readonly error?: string;
  readonly coalesceKey?: string;
  readonly version?: number;
  readonly enqueuedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** When the record last changed. */
  readonly updatedAt: number;
}
