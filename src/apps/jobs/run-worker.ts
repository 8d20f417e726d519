import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { AppError } from "../app-error.ts";
import { isMissingQueue } from "../aws/missing-queue.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { queueNameOf } from "../aws/queue-url.ts";
import { receiveBackoffMs } from "../aws/receive-backoff.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { Slots } from "../concurrency/slots.ts";
import { pause } from "../pause.ts";
import { DEFAULT_RETRY_POLICY, giveUpAfter } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";
import { findDeadLetterQueue } from "../sources/dead-letter-queue.ts";
import type { DeadLetterTarget } from "../sources/dead-letter-queue.ts";
import { SqsDeleteBatcher } from "../sources/sqs-delete-batcher.ts";
import { handleJobMessage } from "./handle-job-message.ts";
import type { JobHandlingContext } from "./handle-job-message.ts";
import type { ResultBackend } from "./result-backend.ts";
import type { TaskRegistry } from "./task-registry.ts";
import { emptyWorkerStats } from "./worker-stats.ts";
import type { WorkerStats } from "./worker-stats.ts";
import { stopController } from "../stop-controller.ts";

export interface WorkerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly tasks: TaskRegistry;
  readonly backend: ResultBackend;
  readonly logger: Logger;
  /** Jobs run at once. Default 4. */
  readonly concurrency?: number;
  /**
   * Messages held at once, running or waiting for their `runAt`. Default
   * 100 + 10 x concurrency: waiting costs a timer, and a burst of debounced
   * jobs then waits in hand, ready at its time, not behind others in the queue.
   * Jobs that are due but find every slot busy are another matter: once
   * `concurrency` of them wait, the worker stops receiving until one starts,
   * and leaves the rest in the queue for other workers (Celery's fair prefetch).
   */
  readonly prefetch?: number;
  /** Long-poll wait of each receive, seconds (0-20). Default 10. */
  readonly waitSeconds?: number;
  /** How long a held job stays hidden; renewed while held. Default 30 s. */
  readonly visibilitySeconds?: number;
  /**
   * Retries: attempt n failed -> again after base x 2^(n-1) s (capped);
   * given up after `maxReceives` attempts (or the queue's redrive count if lower).
   */
  readonly retry?: Partial<RetryPolicy>;
  /** Aborting it stops receiving; running jobs finish, held ones go back to the queue. */
  readonly signal?: AbortSignal;
  /** Stop after this long, ms; 0 or undefined: no limit. */
  readonly maxRuntimeMs?: number;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Called after each job settles, with the running totals. */
  readonly onProgress?: (stats: WorkerStats) => void;
}

export interface WorkerSummary extends WorkerStats {
  readonly deadLetterQueue: string | undefined;
}

/**
 * A worker (Celery's `celery worker`): receives jobs from one queue and runs
 * them with the registered tasks, `concurrency` at a time, until stopped.
 * See `handleJobMessage` for what happens to each job.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const { sqs, queueUrl, logger } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const prefetch = Math.max(1, options.prefetch ?? 100 + concurrency * 10);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const deadLetterQueue = await readDeadLetterQueue(sqs, queueUrl, logger);
  const stop = stopController();
  const stopNow = () => stop.abort();
  options.signal?.addEventListener("abort", stopNow, { once: true });
  if (options.signal?.aborted) stop.abort();
  const runtimeTimer = options.maxRuntimeMs ? setTimeout(stopNow, options.maxRuntimeMs) : undefined;

  const deletes = new SqsDeleteBatcher(sqs, queueUrl);
  const ctx: JobHandlingContext = {
    sqs,
    queueUrl,
    queueName: queueNameOf(queueUrl),
    tasks: options.tasks,
    backend: options.backend,
    logger,
    deadLetterQueue,
    retry,
    giveUpAt: giveUpAfter(retry, deadLetterQueue?.maxReceiveCount),
    visibilitySeconds: options.visibilitySeconds ?? 30,
    slots: new Slots(concurrency),
    deletes,
    stop: stop.signal,
    now: options.now ?? Date.now,
  };
  const stats = emptyWorkerStats();
  const inHand = new Set<Promise<void>>();
  let receiveFailures = 0;
  try {
    while (!stop.signal.aborted) {
      while (inHand.size >= prefetch || ctx.slots.waiters >= concurrency) {
        await Promise.race(inHand);
      }
      let messages: Message[];
      try {
        messages = await receive(options, Math.min(10, prefetch - inHand.size), stop.signal);
        receiveFailures = 0;
      } catch (error) {
        if (stop.signal.aborted) break;
        if (isMissingQueue(error)) {
          throw new AppError(`the job queue ${queueUrl} no longer exists`, 1, { cause: error });
        }
        receiveFailures += 1;
        const pauseMs = receiveBackoffMs(receiveFailures);
        logger.warn(
          {
            err: describeConnectionError(
              explainNoAnswer(error, "receive from", ctx.queueName),
              "SQS",
            ),
            pauseMs,
          },
          "cannot receive jobs; trying again shortly",
        );
        await pause(pauseMs, stop.signal);
        continue;
      }
      for (const message of messages) {
        const settled = handleJobMessage(ctx, message)
          .then((outcome) => {
            stats[outcome] += 1;
            options.onProgress?.(stats);
          })
          .catch((error: unknown) => {
            // The message was not settled: it comes back after its visibility timeout.
            logger.error({ err: error, messageId: message.MessageId }, "cannot settle a job");
          })
          .finally(() => inHand.delete(settled));
        inHand.add(settled);
      }
    }
    await Promise.all(inHand);
  } finally {
    clearTimeout(runtimeTimer);
    options.signal?.removeEventListener("abort", stopNow);
    await deletes.drain();
  }
  return { ...stats, deadLetterQueue: deadLetterQueue?.queueName };
}

async function receive(
  options: WorkerOptions,
  max: number,
  signal: AbortSignal,
): Promise<Message[]> {
  const { Messages = [] } = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: Math.max(1, max),
      WaitTimeSeconds: options.waitSeconds ?? 10,
      VisibilityTimeout: options.visibilitySeconds ?? 30,
      MessageSystemAttributeNames: ["ApproximateReceiveCount"],
    }),
    { abortSignal: sqsCallSignal({ waitSeconds: options.waitSeconds ?? 10, stop: signal }) },
  );
  return Messages;
}

async function readDeadLetterQueue(
  sqs: SQSClient,
  queueUrl: string,
  logger: Logger,
): Promise<DeadLetterTarget | undefined> {
  try {
    return await findDeadLetterQueue(sqs, queueUrl);
  } catch (error) {
    if (isMissingQueue(error)) {
      throw new AppError(`the job queue ${queueUrl} does not exist`, 1, { cause: error });
    }
    const described = describeConnectionError(error, "SQS");
    if (described instanceof AppError) throw described;
    // Permissions on AWS may not include GetQueueAttributes: work without one.
    logger.warn({ err: error }, "cannot read the job queue's redrive policy");
    return undefined;
  }
}
