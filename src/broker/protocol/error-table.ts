import type { SqsErrorCode } from "../engine/errors.ts";
import type { ProtocolErrorCode } from "./protocol-error.ts";

/** How one error appears on each wire protocol. */
export interface WireError {
  /** JSON protocol `__type`, e.g. `com.amazonaws.sqs#QueueDoesNotExist`. */
  jsonType: string;
  /** Query protocol `<Code>` and the first half of the JSON `x-amzn-query-error` header. */
  queryCode: string;
  status: number;
  fault: "Sender" | "Receiver";
  /** The Query protocol's own text, where SQS words the error differently there. */
  queryMessage?: string;
}

const sqs = (name: string, queryCode: string, status = 400): WireError => ({
  jsonType: `com.amazonaws.sqs#${name}`,
  queryCode,
  status,
  fault: "Sender",
});

const coral = (name: string, status = 400, fault: "Sender" | "Receiver" = "Sender"): WireError => ({
  jsonType: `com.amazon.coral.service#${name}`,
  queryCode: name,
  status,
  fault,
});

/**
 * Every error the broker can return, once: the engine's domain errors and
 * the protocol's own. Codes and statuses are AWS's, see
 * docs/reference/aws-sqs-behaviour.md for where each was observed.
 */
export const errorTable: Record<SqsErrorCode | ProtocolErrorCode, WireError> = {
  QueueDoesNotExist: {
    ...sqs("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"),
    queryMessage: "The specified queue does not exist for this wsdl version.",
  },
  QueueNameExists: sqs("QueueNameExists", "QueueAlreadyExists"),
  QueueDeletedRecently: sqs("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"),
  InvalidAttributeName: sqs("InvalidAttributeName", "InvalidAttributeName"),
  InvalidAttributeValue: sqs("InvalidAttributeValue", "InvalidAttributeValue"),
  InvalidParameterValue: sqs("InvalidParameterValueException", "InvalidParameterValue"),
  MissingParameter: sqs("MissingRequiredParameterException", "MissingParameter"),
  InvalidMessageContents: sqs("InvalidMessageContents", "InvalidMessageContents"),
  // 400 as the Query-era model and API reference give it; the newer Smithy model says 404 (not recorded on the wire).
  ReceiptHandleIsInvalid: sqs("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"),
  PurgeQueueInProgress: sqs(
    "PurgeQueueInProgress",
    "AWS.SimpleQueueService.PurgeQueueInProgress",
    403,
  ),
  OverLimit: sqs("OverLimit", "OverLimit", 403),
  UnsupportedOperation: sqs("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
  BatchEntryIdsNotDistinct: sqs(
    "BatchEntryIdsNotDistinct",
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  ),
  EmptyBatchRequest: sqs("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"),
  TooManyEntriesInBatchRequest: sqs(
    "TooManyEntriesInBatchRequest",
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  ),
  InvalidBatchEntryId: sqs("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"),
  BatchRequestTooLong: sqs("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"),
  ResourceNotFoundException: sqs("ResourceNotFoundException", "ResourceNotFoundException", 404),
  InvalidAddress: sqs("InvalidAddress", "InvalidAddress", 404),
  UnknownOperation: coral("UnknownOperationException"),
  // A request that names no operation at all (a GET of a queue URL, a PUT...): 404, as SQS answers a GET.
  OperationNotFound: {
    ...coral("UnknownOperationException", 404),
    jsonType: "com.amazon.coral.service#UnknownOperationException",
  },
  SerializationException: coral("SerializationException"),
  MissingAction: {
    ...coral("MissingAction"),
    jsonType: "com.amazon.coral.service#UnknownOperationException",
  },
  InvalidAction: coral("InvalidAction"),
  RequestEntityTooLarge: {
    ...coral("RequestEntityTooLarge", 413),
    queryCode: "RequestEntityTooLarge",
  },
  InternalFailure: coral("InternalFailure", 500, "Receiver"),
  ServiceUnavailable: coral("ServiceUnavailable", 503, "Receiver"),
  // SQS's code and status for a request its access policy denies.
  AccessDenied: {
    ...coral("AccessDenied", 403),
    jsonType: "com.amazon.coral.service#AccessDeniedException",
  },
  // Authentication errors: codes and statuses of AWS's common errors (CommonErrors.html).
  MissingAuthenticationToken: coral("MissingAuthenticationToken", 403),
  IncompleteSignature: coral("IncompleteSignature", 400),
  InvalidClientTokenId: coral("InvalidClientTokenId", 403),
  SignatureDoesNotMatch: coral("SignatureDoesNotMatch", 403),
  RequestExpired: coral("RequestExpired", 400),
};
