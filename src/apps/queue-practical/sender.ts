import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import { sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { sqsCallFailure } from "../aws/sqs-call-failure.ts";
import { formatMessageBody } from "./message-body.ts";
import type { PracticalQueue } from "./practical-queue.ts";

/** SQS takes at most ten entries in one SendMessageBatch. */
const BATCH_SIZE = 10;

/** One message group, so a FIFO queue delivers every message in send order. */
export const FIFO_GROUP_ID = "default";

/** The message attribute naming the sender, printed by the receiver. */
export const CLIENT_ATTRIBUTE = "client";

export interface SendOptions {
  readonly sqs: SQSClient;
  readonly queue: PracticalQueue;
  /** Sent as the String message attribute `client`. */
  readonly clientName: string;
  /** Put before every body: `"{prepend}Message {i}"`. */
  readonly prepend: string;
  /** Messages `0 .. count-1` are sent. */
  readonly count: number;
  /** Called after each batch is accepted. */
  readonly onProgress?: (sent: number, total: number) => void;
  /** Stops sending after the batch in flight (Ctrl-C). */
  readonly signal?: AbortSignal;
}

export interface SendResult {
  readonly sent: number;
  readonly elapsedMs: number;
}

/**
 * Sends the practical's messages in batches of ten. Batches go one after the
 * other, never in parallel, so that on a FIFO queue the queue's order is the
 * send order. On a FIFO queue every message is in group `default` and carries
 * no deduplication id: the queue's content-based deduplication drops a body it
 * has seen in the last five minutes, yet still reports it as sent.
 */
export async function sendPracticalMessages(options: SendOptions): Promise<SendResult> {
  const { sqs, queue, count } = options;
  const started = performance.now();
  let sent = 0;
  for (let first = 0; first < count && !options.signal?.aborted; first += BATCH_SIZE) {
    const entries: SendMessageBatchRequestEntry[] = [];
    for (let index = first; index < Math.min(first + BATCH_SIZE, count); index += 1) {
      entries.push({
        Id: `m${index}`,
        MessageBody: formatMessageBody(options.prepend, index),
        MessageAttributes: {
          [CLIENT_ATTRIBUTE]: { DataType: "String", StringValue: options.clientName },
        },
        ...(queue.fifo ? { MessageGroupId: FIFO_GROUP_ID } : {}),
      });
    }
    let failed;
    try {
      ({ Failed: failed } = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }),
        // Not tied to the stop signal: the batch in flight finishes.
        { abortSignal: sqsCallSignal() },
      ));
    } catch (error) {
      throw sqsCallFailure(error, "send to", queue.name);
    }
    if (failed && failed.length > 0) {
      // Stop at the first refused batch: going on would leave a gap in the
      // numbering, and on a FIFO queue put later messages ahead of a retry.
      const { Id, Code, Message } = failed[0]!;
      throw new AppError(
        `${queue.name} refused ${failed.length} of ${entries.length} messages (first: ${Id}, ${Code}: ${Message}); ${sent} sent before`,
      );
    }
    sent += entries.length;
    options.onProgress?.(sent, count);
  }
  return { sent, elapsedMs: Math.round(performance.now() - started) };
}
