import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import { sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { sqsCallFailure } from "../aws/sqs-call-failure.ts";
import type { PracticalQueue } from "./practical-queue.ts";
import { CLIENT_ATTRIBUTE } from "./sender.ts";

/**
 * Seconds each ReceiveMessage waits for a message (long polling). Longer than
 * the original's 1 s, so an idle receiver makes fewer empty receives (which
 * AWS bills); Ctrl-C still stops at once because the poll is aborted.
 */
export const RECEIVE_WAIT_SECONDS = 5;

/** A delivered message as the practical shows it. */
export interface PracticalMessage {
  /** The `client` message attribute; `undefined` when the message has none. */
  readonly client: string | undefined;
  readonly body: string;
}

export interface ReceiveOptions {
  readonly sqs: SQSClient;
  readonly queue: PracticalQueue;
  /** Aborting stops at once: the current poll is cancelled, then the loop ends. */
  readonly signal: AbortSignal;
  /** Stop after this many messages; default: no limit. */
  readonly maxMessages?: number;
  /** Stop once nothing has arrived for this long; default: never. */
  readonly idleTimeoutMs?: number;
  /** Called for each message before it is deleted. */
  readonly onMessage: (message: PracticalMessage) => void;
  /** Called when the queue refused to delete some messages (they will come back). */
  readonly onWarning?: (line: string) => void;
}

/** Why the receive loop ended. */
export type ReceiveStop = "signal" | "count" | "idle";

export interface ReceiveResult {
  readonly received: number;
  readonly stoppedBy: ReceiveStop;
}

/**
 * Receives up to ten messages at a time, hands each to `onMessage`, then
 * deletes them in one DeleteMessageBatch. A batch in hand is always shown and
 * deleted before the loop looks at `signal` again, so stopping loses nothing
 * and never leaves a shown message to come back.
 */
export async function receivePracticalMessages(options: ReceiveOptions): Promise<ReceiveResult> {
  const { sqs, queue, signal, maxMessages, idleTimeoutMs } = options;
  let received = 0;
  let lastArrival = performance.now();
  for (;;) {
    if (signal.aborted) return { received, stoppedBy: "signal" };
    if (maxMessages !== undefined && received >= maxMessages) {
      return { received, stoppedBy: "count" };
    }
    let waitSeconds = RECEIVE_WAIT_SECONDS;
    if (idleTimeoutMs !== undefined) {
      const remainingMs = idleTimeoutMs - (performance.now() - lastArrival);
      if (remainingMs <= 0) return { received, stoppedBy: "idle" };
      waitSeconds = Math.min(waitSeconds, Math.ceil(remainingMs / 1000));
    }
    let messages: Message[];
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          // Never take more than will be shown: extra ones would sit invisible
          // for a whole visibility timeout after this receiver has gone.
          MaxNumberOfMessages: Math.min(10, (maxMessages ?? Infinity) - received),
          WaitTimeSeconds: waitSeconds,
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: sqsCallSignal({ waitSeconds, stop: signal }) },
      );
      messages = response.Messages ?? [];
    } catch (error) {
      if (signal.aborted) return { received, stoppedBy: "signal" };
      throw sqsCallFailure(error, "receive from", queue.name);
    }
    if (messages.length === 0) continue;
    lastArrival = performance.now();
    for (const message of messages) {
      options.onMessage({
        client: message.MessageAttributes?.[CLIENT_ATTRIBUTE]?.StringValue,
        body: message.Body ?? "",
      });
    }
    received += messages.length;
    await deleteMessages(options, messages);
  }
}

async function deleteMessages(options: ReceiveOptions, messages: Message[]): Promise<void> {
  const { sqs, queue } = options;
  let failed;
  try {
    // Not tied to the stop signal: what was printed is deleted even when stopping.
    ({ Failed: failed } = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
      { abortSignal: sqsCallSignal() },
    ));
  } catch (error) {
    throw sqsCallFailure(error, "delete from", queue.name);
  }
  if (failed && failed.length > 0) {
    const { Code, Message: reason } = failed[0]!;
    options.onWarning?.(
      `could not delete ${failed.length} message(s) from ${queue.name} (${Code}: ${reason}); they will be delivered again`,
    );
  }
}
