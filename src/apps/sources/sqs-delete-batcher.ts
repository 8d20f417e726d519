import { DeleteMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { queueNameOf } from "../aws/queue-url.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";

interface PendingDelete {
  receiptHandle: string;
  settle: (error?: Error) => void;
}

const MAX_BATCH = 10;

/**
 * Deletes processed messages in batches of up to ten: every delete asked for
 * in one event-loop turn goes out together, which cuts the consumer's
 * requests per widget by up to ten times. A delete resolves only once SQS has
 * confirmed it, or fails once SQS has had 10 s to answer it
 * ({@link sqsCallSignal}): a stop waits for the deletes in flight, and
 * without a deadline a broker that stopped answering would hold it for ever.
 */
export class SqsDeleteBatcher {
  private pending: PendingDelete[] = [];
  private flushScheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  delete(receiptHandle: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        receiptHandle,
        settle: (error) => (error ? reject(error) : resolve()),
      });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends everything pending and waits for every batch still in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const sent = this.send(batch).finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }
  }

  private async send(batch: PendingDelete[]): Promise<void> {
    try {
      const { Failed = [] } = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((entry, index) => ({
            Id: String(index),
            ReceiptHandle: entry.receiptHandle,
          })),
        }),
        { abortSignal: sqsCallSignal() },
      );
      const failures = new Map(Failed.map((failure) => [failure.Id, failure]));
      batch.forEach((entry, index) => {
        const failure = failures.get(String(index));
        entry.settle(
          failure
            ? new Error(`delete failed: ${failure.Code ?? "error"}: ${failure.Message ?? ""}`)
            : undefined,
        );
      });
    } catch (error) {
      const reported = explainNoAnswer(error, "delete from", queueNameOf(this.queueUrl)) as Error;
      for (const entry of batch) entry.settle(reported);
    }
  }
}
