/**
 * The closed set of errors the engine raises, by SQS's names for them (its
 * model's, mostly). The protocol layer maps each to its wire codes and HTTP status
 * (protocol/error-table.ts); the engine itself knows nothing of the wire.
 */
export type SqsErrorCode =
  | "QueueDoesNotExist"
  | "QueueNameExists"
  | "QueueDeletedRecently"
  | "InvalidAttributeName"
  | "InvalidAttributeValue"
  | "InvalidParameterValue"
  | "MissingParameter"
  | "InvalidMessageContents"
  | "ReceiptHandleIsInvalid"
  | "PurgeQueueInProgress"
  | "OverLimit"
  | "UnsupportedOperation"
  | "BatchEntryIdsNotDistinct"
  | "EmptyBatchRequest"
  | "TooManyEntriesInBatchRequest"
  | "InvalidBatchEntryId"
  | "BatchRequestTooLong"
  | "ResourceNotFoundException"
  | "InvalidAddress";

export class SqsError extends Error {
  override readonly name = "SqsError";

  constructor(
    readonly code: SqsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The texts SQS uses for its most common errors, kept in one place. */
export const errors = {
  queueDoesNotExist: () => new SqsError("QueueDoesNotExist", "The specified queue does not exist."),
  invalidParameter: (name: string, value: unknown, reason: string) =>
    new SqsError(
      "InvalidParameterValue",
      `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
    ),
  missingParameter: (name: string) =>
    new SqsError("MissingParameter", `The request must contain the parameter ${name}.`),
  receiptHandleInvalid: (handle: string) =>
    new SqsError(
      "ReceiptHandleIsInvalid",
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
};
