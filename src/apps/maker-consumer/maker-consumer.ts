import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { AppError } from "../app-error.ts";
import { isMissingQueue } from "../aws/missing-queue.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { queueNameOf } from "../aws/queue-url.ts";
import { receiveBackoffMs } from "../aws/receive-backoff.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { MAX_WAIT_SECONDS } from "../aws/sqs-limits.ts";
import { handleRequestMessage } from "./handle-request-message.ts";
import type { HandledAs, RequestHandlerContext } from "./handle-request-message.ts";
import { widgetsEndpoint } from "./maker-client.ts";
import { checkRedrivePolicy } from "./redrive-check.ts";
import { MAKER_RETRY_POLICY } from "./retry-decision.ts";
import type { RetryPolicy } from "../retry-policy.ts";
import { pause } from "../pause.ts";
import { stopController } from "../stop-controller.ts";
import { requestVisibilitySeconds } from "./request-visibility.ts";

export interface MakerConsumerOptions {
  readonly sqs: SQSClient;
  /** Queue URLs (resolve names first with `resolveQueueUrl`). */
  readonly requestQueueUrl: string;
  readonly responseQueueUrl: string;
  /** The maker's base URL (`/widgets` is added) or the full URL to POST to. */
  readonly makerUrl: string;
  readonly logger: Logger;
  /** Aborting it stops receiving; requests in hand are still settled. */
  readonly signal?: AbortSignal;
  /** Long-poll wait of each receive, in seconds (0-20). Default 20. */
  readonly waitSeconds?: number;
  /** Messages per receive (1-10). Default 10. */
  readonly batchSize?: number;
  /** Visibility timeout asked for on receive, in seconds; default: the queue's own. */
  readonly visibilityTimeout?: number;
  /** How long one POST to the maker may take, in ms. Default 10 000. */
  readonly requestTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Stop after this long without receiving anything, in ms. Default: never. */
  readonly idleTimeoutMs?: number;
  /** Stop after running this long, in ms. Default: never. */
  readonly maxRuntimeMs?: number;
}

export type StopReason = "signal" | "idle" | "max-runtime";

/** What the consumer did, by how each received message was handled. */
export type MakerConsumerSummary = Record<HandledAs, number> & {
  readonly stoppedBy: StopReason;
};

/**
 * The maker consumer: receives widget requests and POSTs each to the widget
 * maker, answering on the response queue (see `handleRequestMessage` for what
 * happens to each). A batch is handled concurrently; the next receive waits
 * for the whole batch, so a stop never abandons a request half settled.
 */
export async function runMakerConsumer(
  options: MakerConsumerOptions,
): Promise<MakerConsumerSummary> {
  const { sqs, logger } = options;
  const retry: RetryPolicy = { ...MAKER_RETRY_POLICY, ...options.retry };
  const context: RequestHandlerContext = {
    sqs,
    requestQueueUrl: options.requestQueueUrl,
    responseQueueUrl: options.responseQueueUrl,
    makerEndpoint: widgetsEndpoint(options.makerUrl),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    visibilitySeconds: await requestVisibilitySeconds(
      sqs,
      options.requestQueueUrl,
      options.visibilityTimeout,
      logger,
      options.signal,
    ),
    retry,
    logger,
  };
  const counts: Record<HandledAs, number> = {
    made: 0,
    repeat: 0,
    rejected: 0,
    retrying: 0,
    "gave-up": 0,
    failed: 0,
  };

  const stop = stopController();
  let stoppedBy: StopReason = "signal";
  const requestStop = (reason: StopReason) => {
    if (stop.signal.aborted) return;
    stoppedBy = reason;
    stop.abort();
  };
  const onSignal = () => requestStop("signal");
  if (options.signal?.aborted) requestStop("signal");
  options.signal?.addEventListener("abort", onSignal, { once: true });
  const runtimeTimer =
    options.maxRuntimeMs === undefined
      ? undefined
      : setTimeout(() => requestStop("max-runtime"), options.maxRuntimeMs);

  await checkRedrivePolicy(sqs, options.requestQueueUrl, retry.maxReceives, logger, stop.signal);
  const waitSeconds = options.waitSeconds ?? MAX_WAIT_SECONDS;
  let lastMessageAt = Date.now();
  let receiveFailures = 0;
  try {
    while (!stop.signal.aborted) {
      let wait = waitSeconds;
      if (options.idleTimeoutMs !== undefined) {
        const idleLeftMs = lastMessageAt + options.idleTimeoutMs - Date.now();
        if (idleLeftMs <= 0) {
          requestStop("idle");
          break;
        }
        // A long poll must not outlast the idle timeout it is measuring.
        wait = Math.min(wait, Math.ceil(idleLeftMs / 1000));
      }
      let messages: Message[];
      try {
        messages = await receive(options, wait, stop.signal);
        receiveFailures = 0;
      } catch (error) {
        if (stop.signal.aborted) break;
        if (isMissingQueue(error)) {
          throw new AppError(`the request queue ${options.requestQueueUrl} no longer exists`, 1, {
            cause: error,
          });
        }
        receiveFailures += 1;
        const pauseMs = receiveBackoffMs(receiveFailures);
        const described = describeConnectionError(
          explainNoAnswer(error, "receive from", queueNameOf(options.requestQueueUrl)),
          "SQS",
        );
        logger.warn(
          { err: described, pauseMs },
          "cannot receive widget requests; trying again shortly",
        );
        await pause(pauseMs, stop.signal);
        continue;
      }
      if (messages.length > 0) lastMessageAt = Date.now();
      // Settled, not Promise.all: a request failing the whole run (its response
      // queue gone) still lets the others of its batch finish before the stop.
      const handled = await Promise.allSettled(
        messages.map((message) => handleRequestMessage(context, message)),
      );
      for (const result of handled) if (result.status === "fulfilled") counts[result.value] += 1;
      const fatal = handled.find((result) => result.status === "rejected");
      if (fatal) throw fatal.reason;
    }
  } finally {
    clearTimeout(runtimeTimer);
    options.signal?.removeEventListener("abort", onSignal);
  }
  logger.info({ ...counts, stoppedBy }, "maker consumer stopped");
  return { ...counts, stoppedBy };
}

async function receive(
  options: MakerConsumerOptions,
  waitSeconds: number,
  signal: AbortSignal,
): Promise<Message[]> {
  const { Messages } = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.requestQueueUrl,
      MaxNumberOfMessages: options.batchSize ?? 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      ...(options.visibilityTimeout === undefined
        ? {}
        : { VisibilityTimeout: options.visibilityTimeout }),
    }),
    { abortSignal: sqsCallSignal({ waitSeconds, stop: signal }) },
  );
  return Messages ?? [];
}
