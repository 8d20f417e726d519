import { randomUUID } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { SqsSendBatcher } from "../aws/sqs-send-batcher.ts";
import { JobQueueError } from "./job-error.ts";
import { encodeJobMessage } from "./job-message.ts";
import type { JobMessage } from "./job-message.ts";
import type { ResultBackend } from "./result-backend.ts";

/** SQS's longest message delay. */
const MAX_SQS_DELAY_SECONDS = 900;
/**
 * The longest delay a job may have. A worker holds a job past SQS's own 15
 * minutes by keeping it hidden, and SQS keeps a message hidden at most 12
 * hours from its receive; an hour is left for the job's run and retries.
 */
export const MAX_JOB_DELAY_MS = 11 * 60 * 60 * 1000;

export interface EnqueueOptions {
  /** The job's id; default a random UUID. Enqueueing one id twice runs it once on FIFO queues. */
  readonly jobId?: string;
  /** Run no sooner than this many ms from now, up to 11 h (SQS alone delays in whole seconds, up to 15 min). Default 0. */
  readonly delayMs?: number;
  /**
   * Coalescing: this job is version `version` of the work named `key`.
   * A worker skips it (status `superseded`) if a newer version was enqueued
   * by the time it would start.
   */
  readonly coalesce?: { readonly key: string; readonly version: number };
  /** FIFO message group; default the coalescing key, else the task name. Ignored on standard queues. */
  readonly groupId?: string;
}

export interface JobQueueOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly backend: ResultBackend;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Ends every enqueue under way when it aborts: a process stopping must
   * not wait on an SQS that takes connections and never answers, even for
   * the 10 s after which an enqueue fails anyway.
   */
  readonly signal?: AbortSignal;
}

/** An enqueued job: its id and when it may run. */
export interface EnqueuedJob {
  readonly id: string;
  readonly runAt: number;
}

/**
 * The producing side of the jobs layer (Celery's `task.apply_async`): records
 * the job as `queued` in the result backend, then sends it to the queue.
 * The record comes first so a worker never finishes a job that has none.
 */
export class JobQueue {
  readonly queueUrl: string;
  private readonly fifo: boolean;
  private readonly now: () => number;
  private readonly sends: SqsSendBatcher;

  constructor(private readonly options: JobQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.sends = new SqsSendBatcher(options.sqs, options.queueUrl, options.signal);
    this.fifo = options.queueUrl.endsWith(".fifo");
    this.now = options.now ?? Date.now;
  }

  async enqueue(
    task: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<EnqueuedJob> {
    const id = options.jobId ?? randomUUID();
    const enqueuedAt = this.now();
    const delayMs = Math.max(0, options.delayMs ?? 0);
    if (delayMs > MAX_JOB_DELAY_MS) {
      throw new RangeError(
        `delayMs must be at most ${MAX_JOB_DELAY_MS} (11 h): a worker keeps a waiting job hidden, ` +
          `and SQS hides a message at most 12 h from its receive; got ${delayMs}`,
      );
    }
    const job: JobMessage = {
      id,
      task,
      payload,
      enqueuedAt,
      runAt: enqueuedAt + delayMs,
      ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
    };
    const { backend, queueUrl } = this.options;
    await backend.queued({
      id,
      task,
      enqueuedAt,
      ...(options.coalesce === undefined
        ? {}
        : { coalesceKey: options.coalesce.key, version: options.coalesce.version }),
    });
    try {
      // Jobs enqueued in one event-loop turn go out in one SendMessageBatch.
      await this.sends.send({
        MessageBody: encodeJobMessage(job),
        ...(this.fifo
          ? {
              // FIFO queues take no per-message delay: the worker holds the job until runAt.
              MessageGroupId: options.groupId ?? options.coalesce?.key ?? task,
              MessageDeduplicationId: id,
            }
          : { DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.floor(delayMs / 1000)) }),
      });
    } catch (error) {
      const failure = new JobQueueError(
        `cannot enqueue job ${id} (${task})`,
        queueUrl,
        [id],
        error,
      );
      await backend.failed(id, failure.message, this.now()).catch(() => undefined);
      throw failure;
    }
    return { id, runAt: job.runAt };
  }
}
