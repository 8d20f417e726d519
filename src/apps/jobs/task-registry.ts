import type { Logger } from "pino";

/** What a task's handler gets besides its payload. */
export interface TaskContext {
  readonly jobId: string;
  /** 1 for the first run; a retry or a redelivery after a crash adds one. */
  readonly attempt: number;
  /**
   * Aborted when the worker starts stopping. A short task just finishes; a
   * long one may throw, and the job is retried later (by any worker).
   */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Runs one job. Its return value (JSON) is the job's result; a throw fails
 * the attempt, which is retried later until the job's attempts run out. Throw
 * a {@link PermanentJobError} for a job no retry can help (a bad payload):
 * it goes to the dead-letter queue at once.
 */
export type TaskHandler = (payload: unknown, context: TaskContext) => Promise<unknown>;

/** A failure no retry can fix: the job is given up at once. */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}

/** The tasks a worker runs, by name (Celery's `@app.task`). */
export class TaskRegistry {
  private readonly handlers = new Map<string, TaskHandler>();

  /** Registers `handler` under `name`; a name is registered once. */
  define(name: string, handler: TaskHandler): this {
    if (this.handlers.has(name)) throw new Error(`task ${name} is defined twice`);
    this.handlers.set(name, handler);
    return this;
  }

  get(name: string): TaskHandler | undefined {
    return this.handlers.get(name);
  }

  get names(): string[] {
    return [...this.handlers.keys()];
  }
}
