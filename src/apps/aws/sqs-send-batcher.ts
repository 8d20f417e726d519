import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs";
import { queueNameOf } from "./queue-url.ts";
import { explainNoAnswer, sqsCallSignal } from "./sqs-call-deadline.ts";

type Entry = Omit<SendMessageBatchRequestEntry, "Id">;

interface PendingSend {
  readonly entry: Entry;
  settle(error: Error | undefined, messageId?: string): void;
}

const MAX_BATCH = 10;
/** SQS refuses a whole batch over 1 MiB of bodies and attributes (BatchRequestTooLong). */
const MAX_BATCH_BYTES = 1_048_576;

/**
 * Sends messages in batches of up to ten, and up to SQS's 1 MiB a batch:
 * every send asked for in one event-loop turn goes out together. A web app enqueueing a job per request
 * under load spends most of its time in the SDK's per-call work; batching
 * cuts that by up to ten times. Each send resolves with its message id once
 * SQS has accepted it, or rejects with that entry's own error, or with
 * `SQS did not answer within 10 s (send to q)` once SQS has had that long
 * ({@link sqsCallSignal}): a web request waiting on it must get an answer.
 */
export class SqsSendBatcher {
  private pending: PendingSend[] = [];
  private flushScheduled = false;

  /** `signal` ends every send under way when it aborts (the app is stopping). */
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly signal?: AbortSignal,
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
    while (this.pending.length > 0) {
      // At least one entry a batch: one too large on its own gets SQS's own refusal.
      let count = 1;
      let bytes = entrySize(this.pending[0]!.entry);
      while (count < Math.min(MAX_BATCH, this.pending.length)) {
        const next = entrySize(this.pending[count]!.entry);
        if (bytes + next > MAX_BATCH_BYTES) break;
        bytes += next;
        count += 1;
      }
      void this.sendBatch(this.pending.splice(0, count));
    }
  }

  private async sendBatch(batch: PendingSend[]): Promise<void> {
    try {
      const { Successful = [], Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map(({ entry }, index) => ({ ...entry, Id: String(index) })),
        }),
        { abortSignal: sqsCallSignal({ stop: this.signal }) },
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
      const reported = this.signal?.aborted
        ? error
        : explainNoAnswer(error, "send to", queueNameOf(this.queueUrl));
      for (const pending of batch) pending.settle(reported as Error);
    }
  }
}

/** What SQS counts of an entry towards the batch limit: body, attribute names, types and values. */
function entrySize(entry: Entry): number {
  let size = Buffer.byteLength(entry.MessageBody ?? "");
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "");
    size += value.BinaryValue
      ? value.BinaryValue.byteLength
      : Buffer.byteLength(value.StringValue ?? "");
  }
  return size;
}
