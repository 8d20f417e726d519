import { ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { visibilityLeftSeconds } from "../aws/sqs-limits.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import type { Slots } from "../concurrency/slots.ts";
import { pause } from "../pause.ts";
import { retryDelaySeconds } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";
import type { DeadLetterTarget } from "../sources/dead-letter-queue.ts";
import type { SqsDeleteBatcher } from "../sources/sqs-delete-batcher.ts";
import { copyToDeadLetterQueue } from "./dead-letter-move.ts";
import { parseJobMessage } from "./job-message.ts";
import type { JobMessage } from "./job-message.ts";
import type { ResultBackend } from "./result-backend.ts";
import { PermanentJobError } from "./task-registry.ts";
import type { TaskRegistry } from "./task-registry.ts";
import { keepHidden } from "../aws/visibility-heartbeat.ts";
import type { JobOutcome } from "./worker-stats.ts";

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once, every time. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What handling a job message needs; fixed for a worker's lifetime. */
export interface JobHandlingContext {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueName: string;
  readonly tasks: TaskRegistry;
  readonly backend: ResultBackend;
  readonly logger: Logger;
  readonly deadLetterQueue: DeadLetterTarget | undefined;
  readonly retry: RetryPolicy;
  /** The receive at which a failing job is given up: retry.maxReceives or the redrive's count if lower. */
  readonly giveUpAt: number;
  readonly visibilitySeconds: number;
  /** Jobs running at once (waiting for `runAt` takes no slot). */
  readonly slots: Slots;
  readonly deletes: SqsDeleteBatcher;
  /** Aborted when the worker stops receiving: jobs not yet started go back to the queue. */
  readonly stop: AbortSignal;
  readonly now: () => number;
}

/**
 * Handles one received message, from start to its settlement:
 * 1. not a job, or a task this worker does not know -> dead-letter queue with the reason;
 * 2. received again (attempt 2 or later) though recorded `succeeded` (its
 *    delete had failed: a broker stopped mid-job, say) -> deleted, not run twice;
 * 3. held until the job's `runAt` (SQS delays in whole seconds only);
 * 4. coalesced and a newer version enqueued -> `superseded`, deleted, never run;
 * 5. run in a slot: success -> `succeeded` with the result, deleted; failure ->
 *    `retrying`, hidden for a delay that doubles each attempt, until the
 *    attempts run out (or the error is permanent) -> `failed`, dead-letter queue.
 * The message stays hidden from other workers all along (a heartbeat extends
 * its visibility), and comes back by itself if this process dies.
 */
export async function handleJobMessage(
  ctx: JobHandlingContext,
  message: Message,
): Promise<JobOutcome> {
  // Handled as soon as it is received: SQS's 12 h limit on its visibility counts from about now.
  const receivedAt = performance.now();
  const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? "1");
  const parsed = parseJobMessage(message.Body ?? "");
  if (!parsed.ok) {
    ctx.logger.warn(
      { messageId: message.MessageId, reason: parsed.reason },
      `Message ${message.MessageId} is not a job (${parsed.reason}); giving up`,
    );
    await giveUp(ctx, message, parsed.reason);
    return "invalid";
  }
  const job = parsed.job;
  const log = ctx.logger.child({ jobId: job.id, task: job.task, attempt });
  const handler = ctx.tasks.get(job.task);
  if (handler === undefined) {
    const reason = `no task ${job.task} in this worker (it runs ${ctx.tasks.names.join(", ")})`;
    log.warn({ reason }, `Job ${job.id}: ${reason}; giving up`);
    await ctx.backend.failed(job.id, reason, ctx.now());
    await giveUp(ctx, message, reason);
    return "invalid";
  }
  if (attempt > 1 && (await ctx.backend.get(job.id))?.status === "succeeded") {
    // Only a job seen before can have succeeded: a first delivery costs no read.
    await ctx.deletes.delete(message.ReceiptHandle!);
    log.info(`Job ${job.id} (${job.task}) was received again but already succeeded; deleted`);
    return "alreadyDone";
  }
  const stopHeartbeat = keepHidden(
    ctx.sqs,
    ctx.queueUrl,
    message.ReceiptHandle!,
    ctx.visibilitySeconds,
    log,
  );
  let release: (() => void) | undefined;
  try {
    // A loop: a timer may fire a little early by the wall clock (Node times
    // it from the event loop's cached time), and a job must not start before runAt.
    for (let waitMs = job.runAt - ctx.now(); waitMs > 0 && !ctx.stop.aborted;) {
      await pause(Math.min(waitMs, MAX_TIMER_MS), ctx.stop);
      waitMs = job.runAt - ctx.now();
    }
    // Checked before taking a slot (a stale job costs no render's place) and again after.
    if (await supersede(ctx, job, message, log)) return "superseded";
    // A stop while waiting for a slot hands the job back at once, not when a running one ends.
    release = await ctx.slots.acquire(ctx.stop);
    if (ctx.stop.aborted) {
      // No renewal may land after the release and hide the job again.
      await stopHeartbeat();
      await makeVisible(ctx, message);
      return "released";
    }
    if (await supersede(ctx, job, message, log)) return "superseded";
    await ctx.backend.started(job.id, attempt, ctx.now());
    let result: unknown;
    try {
      result = await handler(job.payload, {
        jobId: job.id,
        attempt,
        signal: ctx.stop,
        logger: log,
      });
    } catch (error) {
      // No renewal may land after the retry's delay and cut it to one visibility timeout.
      await stopHeartbeat();
      return await failed(ctx, message, { job, attempt, receivedAt }, error, log);
    }
    await ctx.backend.succeeded(job.id, result ?? null, ctx.now());
    await ctx.deletes.delete(message.ReceiptHandle!);
    const ms = ctx.now() - job.enqueuedAt;
    log.info({ ms }, `Job ${job.id} (${job.task}) succeeded, ${ms} ms after it was enqueued`);
    return "succeeded";
  } finally {
    await stopHeartbeat();
    release?.();
  }
}

/** Settles the job as `superseded` when a newer version of its work was enqueued. */
async function supersede(
  ctx: JobHandlingContext,
  job: JobMessage,
  message: Message,
  log: Logger,
): Promise<boolean> {
  if (job.coalesce === undefined) return false;
  const latest = await ctx.backend.latestVersion(job.coalesce.key);
  if (latest === undefined || latest <= job.coalesce.version) return false;
  await ctx.backend.superseded(
    job.id,
    `version ${latest} of ${job.coalesce.key} was enqueued since`,
    ctx.now(),
  );
  await ctx.deletes.delete(message.ReceiptHandle!);
  log.debug(
    { version: job.coalesce.version, latest },
    `Job ${job.id} (${job.task}) superseded by version ${latest} of ${job.coalesce.key}`,
  );
  return true;
}

async function failed(
  ctx: JobHandlingContext,
  message: Message,
  { job, attempt, receivedAt }: { job: JobMessage; attempt: number; receivedAt: number },
  error: unknown,
  log: Logger,
): Promise<JobOutcome> {
  const reason = error instanceof Error ? error.message : String(error);
  const permanent = error instanceof PermanentJobError;
  if (permanent || attempt >= ctx.giveUpAt) {
    log.error(
      { err: error, attempts: attempt },
      `Job ${job.id} (${job.task}) failed ${permanent ? "for good" : `on its last attempt (${attempt})`}; giving up`,
    );
    await ctx.backend.failed(job.id, reason, ctx.now());
    await giveUp(ctx, message, reason);
    return "failed";
  }
  // SQS refuses a visibility ending more than 12 h after the receive: ask for what is left.
  const delaySeconds = Math.max(
    0,
    Math.min(retryDelaySeconds(ctx.retry, attempt), visibilityLeftSeconds(receivedAt)),
  );
  log.warn(
    { err: error, retryInSeconds: delaySeconds },
    `Job ${job.id} (${job.task}) failed on attempt ${attempt}; retrying in ${delaySeconds} s`,
  );
  await ctx.backend.retrying(job.id, reason, ctx.now());
  await ctx.sqs
    .send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: ctx.queueUrl,
        ReceiptHandle: message.ReceiptHandle!,
        VisibilityTimeout: delaySeconds,
      }),
      { abortSignal: sqsCallSignal() },
    )
    .catch((changeError: unknown) => {
      // It still comes back, after the visibility timeout it had.
      log.warn(
        { err: explainNoAnswer(changeError, "change visibility on", ctx.queueName) },
        "cannot delay the job's retry",
      );
    });
  return "retried";
}

/**
 * To the dead-letter queue with the reason, then deleted here. Without a
 * dead-letter queue the message is deleted: its record keeps the error.
 */
async function giveUp(ctx: JobHandlingContext, message: Message, reason: string): Promise<void> {
  if (ctx.deadLetterQueue !== undefined) {
    await copyToDeadLetterQueue(ctx.sqs, message, ctx.deadLetterQueue, ctx.queueName, reason);
  } else {
    ctx.logger.warn(
      { messageId: message.MessageId, reason },
      "the job queue has no dead-letter queue; dropping the job (its record keeps the error)",
    );
  }
  await ctx.deletes.delete(message.ReceiptHandle!);
}

async function makeVisible(ctx: JobHandlingContext, message: Message): Promise<void> {
  await ctx.sqs
    .send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: ctx.queueUrl,
        ReceiptHandle: message.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
      { abortSignal: sqsCallSignal() },
    )
    .catch(() => undefined);
}
