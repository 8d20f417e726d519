import { SqsError } from "./errors.ts";
import { byteLength } from "./message-rules.ts";
import type { MessageAttributes, SendMessageRequest } from "./message-types.ts";

/** At most this many entries in one batch call. */
export const MAX_BATCH_ENTRIES = 10;

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The entry type a batch action names in its errors. */
export type BatchKind =
  | "SendMessageBatchRequestEntry"
  | "DeleteMessageBatchRequestEntry"
  | "ChangeMessageVisibilityBatchRequestEntry";

/** Checks what every batch action requires of its entries before any entry is attempted. */
export function assertValidBatch(kind: BatchKind, entries: ReadonlyArray<{ Id: string }>): void {
  if (entries.length === 0) {
    throw new SqsError("EmptyBatchRequest", `There should be at least one ${kind} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!ENTRY_ID.test(Id)) {
      throw new SqsError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      );
    }
    if (seen.has(Id)) throw new SqsError("BatchEntryIdsNotDistinct", `Id ${Id} repeated.`);
    seen.add(Id);
  }
}

/** A whole batch may not carry more than 1 MiB, whatever the queue's own message size limit. */
const MAX_BATCH_BYTES = 1_048_576;

/**
 * SendMessageBatch's size rule, checked before any entry: bodies and message
 * and system attributes, counted as each message's own size is counted.
 */
export function assertBatchSize(entries: readonly SendMessageRequest[]): void {
  let total = 0;
  for (const entry of entries) {
    total += byteLength(entry.MessageBody ?? "");
    total +=
      attributesSize(entry.MessageAttributes) + attributesSize(entry.MessageSystemAttributes);
  }
  if (total > MAX_BATCH_BYTES) {
    throw new SqsError(
      "BatchRequestTooLong",
      `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
    );
  }
}

function attributesSize(attributes: MessageAttributes | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += byteLength(name) + byteLength(value.DataType ?? "");
    size += value.BinaryValue ? value.BinaryValue.length : byteLength(value.StringValue ?? "");
  }
  return size;
}

/** One failed batch entry, as batch results report it. */
export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Runs each entry, turning its SqsError into a failed entry rather than failing the batch. */
export function runEntries<E extends { Id: string }, R>(
  entries: readonly E[],
  run: (entry: E) => R,
): { Successful: Array<R>; Failed?: BatchResultErrorEntry[] } {
  const Successful: R[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    try {
      Successful.push(run(entry));
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
    }
  }
  // AWS leaves Failed out rather than sending an empty list.
  return Failed.length > 0 ? { Successful, Failed } : { Successful };
}
