/** How the jobs a worker received ended, counted. */
export interface WorkerStats {
  succeeded: number;
  /** Attempts that failed and were put back for a retry. */
  retried: number;
  /** Jobs given up (to the dead-letter queue, with their error). */
  failed: number;
  /** Coalesced jobs skipped because a newer version was enqueued. */
  superseded: number;
  /** Messages that were not jobs, or named no task this worker knows (dead-lettered). */
  invalid: number;
  /** Jobs handed back to the queue unstarted because the worker was stopping. */
  released: number;
  /** Messages of a job already recorded `succeeded` (its delete had failed): deleted, not run again. */
  alreadyDone: number;
}

export type JobOutcome = keyof WorkerStats;

export function emptyWorkerStats(): WorkerStats {
  return {
    succeeded: 0,
    retried: 0,
    failed: 0,
    superseded: 0,
    invalid: 0,
    released: 0,
    alreadyDone: 0,
  };
}
