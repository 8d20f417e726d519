import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs";

type Entry = Omit<SendMessageBatchRequestEntry, "Id">;

interface PendingSend {
  readonly entry: Entry;
  settle(error: Error | undefined, messageId?: string): void;
}

const MAX_BATCH = 10;

/**
 * Sends messages in batches of up to ten: every send asked for in one
 * event-loop turn goes out together. A web app enqueueing a job per request
 * under load spends most of its time in the SDK's per-call work; batching
 * cuts that by up to ten times. Each send resolves with its message id once
 * SQS has accepted it, or rejects with that entry's own error.
 */
export class SqsSendBatcher {
  private pending: PendingSend[] = [];
  private flushScheduled = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(entry: Entry): Promise<string> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        entry,
        settle: (error, messageId) => (error ? reject(error) : resolve(messageId ?? "")),
      });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) void this.sendBatch(this.pending.splice(0, MAX_BATCH));
  }

  private async sendBatch(batch: PendingSend[]): Promise<void> {
    try {
      const { Successful = [], Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map(({ entry }, index) => ({ ...entry, Id: String(index) })),
        }),
      );
      const sent = new Map(Successful.map((success) => [success.Id, success.MessageId]));
      const failed = new Map(Failed.map((failure) => [failure.Id, failure]));
      batch.forEach((pending, index) => {
        const failure = failed.get(String(index));
        pending.settle(
          failure || !sent.has(String(index))
            ? new Error(
                `${failure?.Code ?? "NotSent"}: ${failure?.Message ?? "SQS did not accept it"}`,
              )
            : undefined,
          sent.get(String(index)),
        );
      });
    } catch (error) {
      for (const pending of batch) pending.settle(error as Error);
    }
  }
}
