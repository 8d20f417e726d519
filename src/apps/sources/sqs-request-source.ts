import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Message, MessageAttributeValue, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { parseRevision, REVISION_ATTRIBUTE } from "../../widgets/request-position.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { visibilityLeftSeconds } from "../aws/sqs-limits.ts";
import { keepHidden } from "../aws/visibility-heartbeat.ts";
import type { DeadLetterTarget } from "./dead-letter-queue.ts";
import type { ReceivedRequest, RequestSource } from "./request-source.ts";
import { SqsDeleteBatcher } from "./sqs-delete-batcher.ts";

/** Message attribute naming why a request was moved to the dead-letter queue. */
export const SET_ASIDE_REASON_ATTRIBUTE = "set-aside-reason";
/** A message as received, with when its receive was asked for (`performance.now()`). */
interface BufferedMessage {
  readonly message: Message;
  readonly askedAt: number;
}

export interface SqsSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueName: string;
  readonly deadLetterQueue: DeadLetterTarget | undefined;
  /** Long-poll wait per receive, seconds (course default 10). */
  readonly waitSeconds: number;
  /** Visibility timeout asked for on receive, seconds (course default 2). */
  readonly visibilitySeconds: number;
  readonly logger: Logger;
}

/**
 * Requests from an SQS queue (CS5260 HW3): long polling, up to ten per
 * receive, cached and handed out one by one; each deleted by its receipt
 * handle only after it was processed (deletes are batched). One receive is in
 * flight at a time, however many workers are waiting.
 *
 * The next receive is asked for as soon as the last cached request is handed
 * out, while the workers still process the batch, so they do not sit idle for
 * a round trip to SQS between batches (13% of a lone consumer's time,
 * measured here). It holds at most one batch more than the workers have, and
 * only for as long as they take to free up.
 *
 * A request handed to a worker is kept hidden (its visibility renewed every
 * half timeout) until it is settled: the course's 2 s timeout is shorter
 * than a busy machine may take to apply one, and another consumer would
 * then apply it again, or set it aside a second time.
 */
export class SqsRequestSource implements RequestSource {
  readonly description: string;
  readonly setAsideLocation: string;
  readonly maxReceiveCount: number | undefined;
  private readonly buffer: BufferedMessage[] = [];
  private readonly deletes: SqsDeleteBatcher;
  private polling: Promise<void> | undefined;
  /** The heartbeats of the requests handed out and not settled yet. */
  private readonly heartbeats = new Set<() => Promise<void>>();
  /** Whether `No requests found, waiting` was said since the last request came. */
  private saidEmpty = false;

  constructor(private readonly options: SqsSourceOptions) {
    this.description = `queue ${options.queueName}`;
    this.setAsideLocation = options.deadLetterQueue
      ? `dead-letter queue ${options.deadLetterQueue.queueName}`
      : `queue ${options.queueName}, hidden up to 12 h (it has no dead-letter queue)`;
    this.maxReceiveCount = options.deadLetterQueue?.maxReceiveCount;
    this.deletes = new SqsDeleteBatcher(options.sqs, options.queueUrl);
  }

  async receive(signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    while (!signal.aborted) {
      const buffered = this.buffer.shift();
      if (buffered) {
        if (this.buffer.length === 0) this.prefetch(signal);
        return this.toRequest(buffered);
      }
      await this.startPolling(signal);
    }
    return undefined;
  }

  /**
   * Starts the next receive with no worker waiting for it. Its failure is
   * left alone: the next worker to find the cache empty polls again, and
   * that poll's failure is its to report.
   */
  private prefetch(signal: AbortSignal): void {
    this.startPolling(signal).catch(() => {});
  }

  private startPolling(signal: AbortSignal): Promise<void> {
    this.polling ??= this.poll(signal).finally(() => (this.polling = undefined));
    return this.polling;
  }

  async close(): Promise<void> {
    // Awaited, so that no renewal is still on the wire once the source is closed.
    await Promise.all([...this.heartbeats].map((stop) => stop()));
    await this.deletes.drain();
    // A receive still in flight (aborted with the workers) may yet fill the cache.
    await this.polling?.catch(() => {});
    await this.releaseBuffered();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const { sqs, queueUrl, waitSeconds, visibilitySeconds, logger } = this.options;
    logger.debug("Polling for requests");
    // SQS receives the messages after this: 12 h from here is within its limit.
    const askedAt = performance.now();
    try {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          VisibilityTimeout: visibilitySeconds,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        }),
        { abortSignal: sqsCallSignal({ waitSeconds, stop: signal }) },
      );
      for (const message of Messages) this.buffer.push({ message, askedAt });
      // The course's line, once per empty spell, as the bucket and folder sources say it.
      if (Messages.length > 0) this.saidEmpty = false;
      else if (!this.saidEmpty && !signal.aborted) {
        this.saidEmpty = true;
        logger.info("No requests found, waiting");
      }
    } catch (error) {
      if (signal.aborted) return;
      // Logged by the consumer, which tries again: SQS may answer again later.
      throw describeConnectionError(
        explainNoAnswer(error, "receive from", this.options.queueName),
        "SQS",
      );
    }
  }

  private toRequest({ message, askedAt }: BufferedMessage): ReceivedRequest {
    const { sqs, queueUrl } = this.options;
    const receiptHandle = message.ReceiptHandle!;
    // Stopped before whatever settles the request, which sets its visibility
    // itself once no renewal can land after it.
    const settled = this.keepHiddenWhileHeld(receiptHandle);
    return {
      id: message.MessageId ?? "?",
      body: message.Body ?? "",
      revision: parseRevision(message.MessageAttributes?.[REVISION_ATTRIBUTE]?.StringValue),
      sentAt: Number(message.Attributes?.SentTimestamp) || undefined,
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
      complete: () => {
        void settled();
        // Not awaited: waiting for each delete's answer would idle the worker
        // for a round trip per request, and deletes batch best when many are
        // asked for at once. `close` waits for them all.
        this.deletes.delete(receiptHandle).catch((error: unknown) => {
          this.options.logger.warn(
            { err: error, request: message.MessageId },
            "could not delete a processed request; it will come back and be acknowledged as a duplicate",
          );
        });
        return Promise.resolve();
      },
      retryLater: async (delaySeconds) => {
        await settled();
        await sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: receiptHandle,
              VisibilityTimeout: Math.min(
                Math.max(Math.round(delaySeconds), 0),
                visibilityLeftSeconds(askedAt),
              ),
            }),
            { abortSignal: sqsCallSignal() },
          )
          .catch((error: unknown) => {
            throw explainNoAnswer(error, "change visibility on", this.options.queueName);
          });
      },
      setAside: (reason) => this.setAside(message, askedAt, reason, settled),
    };
  }

  /** Renews the request's visibility until the returned function is called. */
  private keepHiddenWhileHeld(receiptHandle: string): () => Promise<void> {
    const { sqs, queueUrl, visibilitySeconds, logger } = this.options;
    // A visibility timeout of 0 hides nothing: there is nothing to renew.
    if (visibilitySeconds === 0) return () => Promise.resolve();
    const stopHeartbeat = keepHidden(sqs, queueUrl, receiptHandle, visibilitySeconds, logger);
    const stop = () => {
      this.heartbeats.delete(stop);
      return stopHeartbeat();
    };
    this.heartbeats.add(stop);
    return stop;
  }

  /**
   * With a dead-letter queue: copy the message there with its reason, then
   * delete it here. It is kept hidden (`settled` not called) until the copy
   * has landed: were its visibility to run out meanwhile (a copy slow on a
   * busy host), another receiver would copy it a second time.
   *
   * Without one, nothing is lost either: the message stays on
   * its queue, hidden for the longest visibility SQS allows. That is 12 h
   * from its receive, not from now: asking for 12 h more is refused, and the
   * message would come back when its receive's visibility timeout ends.
   */
  private async setAside(
    message: Message,
    askedAt: number,
    reason: string,
    settled: () => Promise<void>,
  ): Promise<void> {
    const { sqs, queueUrl, queueName, deadLetterQueue } = this.options;
    if (!deadLetterQueue) {
      await settled();
      await sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: visibilityLeftSeconds(askedAt),
          }),
          { abortSignal: sqsCallSignal() },
        )
        .catch((error: unknown) => {
          throw explainNoAnswer(error, "change visibility on", queueName);
        });
      return;
    }
    const ours: Record<string, MessageAttributeValue> = {
      [SET_ASIDE_REASON_ATTRIBUTE]: { DataType: "String", StringValue: reason.slice(0, 1000) },
      "source-queue": { DataType: "String", StringValue: queueName },
    };
    // SQS takes at most 10 attributes: the request's own first 8, then ours.
    const kept = Object.entries(message.MessageAttributes ?? {}).slice(0, 10 - 2);
    const copy = (attributes: Record<string, MessageAttributeValue>) =>
      sqs
        .send(
          new SendMessageCommand({
            QueueUrl: deadLetterQueue.queueUrl,
            // SQS rejects an empty body; the reason says it was empty.
            MessageBody: message.Body || "(empty)",
            MessageAttributes: attributes,
            ...(deadLetterQueue.queueName.endsWith(".fifo")
              ? {
                  MessageGroupId: "set-aside",
                  MessageDeduplicationId: message.MessageId,
                }
              : {}),
          }),
          { abortSignal: sqsCallSignal() },
        )
        .catch((error: unknown) => {
          throw explainNoAnswer(error, "send to", deadLetterQueue.queueName);
        });
    try {
      await copy({ ...Object.fromEntries(kept), ...ours });
    } catch (error) {
      // A request near SQS's size limit has no room for its attributes: keep the body and the reason.
      if (!isRefusedAsInvalid(error)) throw error;
      await copy({
        [SET_ASIDE_REASON_ATTRIBUTE]: { DataType: "String", StringValue: reason.slice(0, 200) },
      }).catch(async (again: unknown) => {
        if (!isRefusedAsInvalid(again)) throw again;
        await copy({});
      });
    } finally {
      // Stopped before the delete: a renewal landing after it would fail, and say so.
      await settled();
    }
    await this.deletes.delete(message.ReceiptHandle!);
  }

  /** Messages received but never handed out become visible again at once, for other consumers. */
  private async releaseBuffered(): Promise<void> {
    const { sqs, queueUrl } = this.options;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, 10).map(({ message }) => message);
      await sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle!,
              VisibilityTimeout: 0,
            })),
          }),
          { abortSignal: sqsCallSignal() },
        )
        .catch(() => {
          // Not fatal: they become visible anyway when their timeout ends.
        });
    }
  }
}

/** SQS refused the message itself (too large, too many attributes), not the call. */
function isRefusedAsInvalid(error: unknown): boolean {
  const name = error instanceof Error ? error.name : "";
  return (
    name === "InvalidParameterValue" ||
    name === "InvalidParameterValueException" ||
    name === "InvalidMessageContents" ||
    name === "InvalidAttributeValue"
  );
}
