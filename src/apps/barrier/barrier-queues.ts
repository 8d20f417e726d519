import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError, stoppedExitCode } from "../app-error.ts";
import { isMissingQueue } from "../aws/missing-queue.ts";
import { sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { sqsCallFailure } from "../aws/sqs-call-failure.ts";
import { MAX_WAIT_SECONDS } from "../aws/sqs-limits.ts";
import { encodeBarrierMessage, parseBarrierMessage } from "./barrier-messages.ts";
import type { BarrierMessage } from "./barrier-messages.ts";
import type { Deadline } from "./deadline.ts";

/** A message taken off a queue; `message` is undefined for a body that is not a barrier message. */
export interface ReceivedMessage {
  readonly message: BarrierMessage | undefined;
  readonly receiptHandle: string;
  /**
   * How long the message waited on the queue before its first receive, by
   * SQS's own clock (`ApproximateFirstReceiveTimestamp` - `SentTimestamp`), if it said.
   */
  readonly ageMs: number | undefined;
}

/**
 * The barrier's side of SQS: queues created when missing (so the same command
 * works on a fresh local broker and on AWS), sends, long-polled receives that
 * never outlive a deadline, and deletes. Every SDK error becomes an AppError
 * that keeps the SDK error as its cause.
 */
export class BarrierQueues {
  private readonly urls = new Map<string, Promise<string>>();

  /**
   * @param stop aborts the waits (SIGINT/SIGTERM). Sends do not listen to it,
   *   so a stopping coordinator can still tell its participants.
   */
  constructor(
    private readonly sqs: SQSClient,
    private readonly stop: AbortSignal,
  ) {}

  /** The queue's URL, creating the queue (standard, default attributes) if it does not exist. */
  url(queue: string): Promise<string> {
    let url = this.urls.get(queue);
    if (!url) {
      url = this.getOrCreate(queue);
      this.urls.set(queue, url);
      // A failure is not cached: the next call asks again.
      url.catch(() => this.urls.delete(queue));
    }
    return url;
  }

  async send(queue: string, message: BarrierMessage): Promise<void> {
    const QueueUrl = await this.url(queue);
    await this.call("send to", queue, () =>
      this.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: encodeBarrierMessage(message) }),
        { abortSignal: sqsCallSignal() },
      ),
    );
  }

  /**
   * Long-polls `queue` once: returns as soon as messages arrive, or with none
   * when `deadline` passes (the request is cut off at the deadline itself, so
   * a 20 s poll never stretches a 3 s timeout). An SQS that does not answer
   * fails it, also at the deadline. The caller deletes what it has handled
   * with {@link delete}.
   */
  async receive(queue: string, deadline: Deadline): Promise<ReceivedMessage[]> {
    this.throwIfStopped();
    const QueueUrl = await this.url(queue);
    const remaining = deadline.remainingMs();
    if (remaining === 0) return [];
    const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.ceil(remaining / 1000));
    const received = await this.poll(queue, QueueUrl, waitSeconds, AbortSignal.timeout(remaining));
    // Cut off at the deadline, the poll cannot tell an empty queue from an SQS
    // that stopped answering. One receive that SQS answers at once can: a hung
    // SQS then fails as such instead of passing for participants (or a
    // coordinator) that never came, and what arrived at the deadline is seen.
    return received ?? (await this.poll(queue, QueueUrl, 0));
  }

  /**
   * Deletes handled messages. Best effort: a message whose delete fails comes
   * back after its visibility timeout and is ignored then as a duplicate.
   */
  async delete(queue: string, received: readonly ReceivedMessage[]): Promise<void> {
    if (received.length === 0) return;
    const QueueUrl = await this.url(queue);
    await this.call("delete from", queue, () =>
      this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: received.map(({ receiptHandle }, index) => ({
            Id: String(index),
            ReceiptHandle: receiptHandle,
          })),
        }),
        { abortSignal: sqsCallSignal() },
      ),
    );
  }

  /** Throws the "stopped" error once SIGINT/SIGTERM has been received. */
  throwIfStopped(): void {
    if (this.stop.aborted) {
      const signal = String(this.stop.reason);
      throw new AppError(`stopped by ${signal}`, stoppedExitCode(signal), {
        cause: this.stop.reason,
      });
    }
  }

  /** One ReceiveMessage; `undefined` when `cutOff` ended it before SQS answered. */
  private async poll(queue: string, QueueUrl: string, waitSeconds: 0): Promise<ReceivedMessage[]>;
  private async poll(
    queue: string,
    QueueUrl: string,
    waitSeconds: number,
    cutOff: AbortSignal,
  ): Promise<ReceivedMessage[] | undefined>;
  private async poll(
    queue: string,
    QueueUrl: string,
    waitSeconds: number,
    cutOff?: AbortSignal,
  ): Promise<ReceivedMessage[] | undefined> {
    const answered = sqsCallSignal({ waitSeconds, stop: this.stop });
    let output;
    try {
      output = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ["SentTimestamp", "ApproximateFirstReceiveTimestamp"],
        }),
        { abortSignal: cutOff ? AbortSignal.any([answered, cutOff]) : answered },
      );
    } catch (error) {
      this.throwIfStopped();
      if (cutOff?.aborted) return undefined;
      throw sqsCallFailure(error, "receive from", queue);
    }
    return (output.Messages ?? []).flatMap((received) =>
      received.ReceiptHandle
        ? [
            {
              message: parseBarrierMessage(received.Body),
              receiptHandle: received.ReceiptHandle,
              ageMs: ageOnQueue(received.Attributes),
            },
          ]
        : [],
    );
  }

  private async getOrCreate(queue: string): Promise<string> {
    try {
      const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queue }), {
        abortSignal: sqsCallSignal(),
      });
      if (QueueUrl) return QueueUrl;
    } catch (error) {
      if (!isMissingQueue(error)) throw sqsCallFailure(error, "look up", queue);
    }
    // Two processes may create the same queue at once: CreateQueue with the
    // same (default) attributes is idempotent, so both get the one URL.
    const { QueueUrl } = await this.call("create", queue, () =>
      this.sqs.send(new CreateQueueCommand({ QueueName: queue }), {
        abortSignal: sqsCallSignal(),
      }),
    );
    if (!QueueUrl) throw new AppError(`SQS returned no URL for the new queue ${queue}`);
    return QueueUrl;
  }

  private async call<T>(action: string, queue: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw sqsCallFailure(error, action, queue);
    }
  }
}

function ageOnQueue(attributes: Partial<Record<string, string>> | undefined): number | undefined {
  const sent = Number(attributes?.SentTimestamp);
  const firstReceived = Number(attributes?.ApproximateFirstReceiveTimestamp);
  return sent > 0 && firstReceived > 0 ? firstReceived - sent : undefined;
}
