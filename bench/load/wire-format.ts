import {
  batchBodies,
  deleteBatchBody,
  fifoSendBodies,
  receiveBody,
  sendBodies,
  sendBodyOf,
} from "./bodies.ts";
import {
  queryBatchBodies,
  queryDeleteBatchBodies,
  queryFifoSendBodies,
  queryReceiveBody,
  querySendBodies,
  querySendBodyOf,
} from "./query-bodies.ts";
import { parseQueryBatchOutcome, parseQueryReceivedMessages } from "./query-responses.ts";
import { parseBatchOutcome, parseReceivedMessages } from "./responses.ts";
import type { BatchOutcome, ReceivedMessage } from "./responses.ts";
import { QUERY_HEADERS, sqsHeaders } from "./sqs-wire.ts";
import type { SqsAction, WireHeaders, WireProtocol } from "./sqs-wire.ts";

/**
 * Everything a job needs to speak one wire protocol: headers, request
 * bodies (built once per shape, see bodies.ts) and the answers it reads.
 * The jobs are written once against this; `--protocol` picks the half.
 */
export interface WireFormat {
  readonly protocol: WireProtocol;
  headers(action: SqsAction): WireHeaders;
  /** SendMessage of message number `seq` (a unique 100-byte body). */
  sendBodies(queueUrl: string): (seq: number) => string;
  /** SendMessage of a body the caller made (end to end stamps the send time into it). */
  sendBodyOf(queueUrl: string): (body: string) => string;
  fifoSendBodies(queueUrl: string, groups: number): (seq: number) => string;
  batchBodies(queueUrl: string): (seqs: readonly number[]) => string;
  receiveBody(queueUrl: string, waitTimeSeconds: number): string;
  deleteBatchBodies(queueUrl: string): (receiptHandles: readonly string[]) => string;
  batchOutcome(answer: string, action: "SendMessageBatch" | "DeleteMessageBatch"): BatchOutcome;
  receivedMessages(answer: string): ReceivedMessage[];
}

const JSON_FORMAT: WireFormat = {
  protocol: "json",
  headers: sqsHeaders,
  sendBodies,
  sendBodyOf,
  fifoSendBodies,
  batchBodies,
  receiveBody,
  deleteBatchBodies: (queueUrl) => (handles) => deleteBatchBody(queueUrl, handles),
  batchOutcome: (answer) => parseBatchOutcome(answer),
  receivedMessages: parseReceivedMessages,
};

const QUERY_FORMAT: WireFormat = {
  protocol: "query",
  headers: () => QUERY_HEADERS,
  sendBodies: querySendBodies,
  sendBodyOf: querySendBodyOf,
  fifoSendBodies: queryFifoSendBodies,
  batchBodies: queryBatchBodies,
  receiveBody: queryReceiveBody,
  deleteBatchBodies: queryDeleteBatchBodies,
  batchOutcome: parseQueryBatchOutcome,
  receivedMessages: parseQueryReceivedMessages,
};

/** The format of `protocol`; JSON when none is given, as every job was before Query. */
export function wireFormat(protocol: WireProtocol | undefined): WireFormat {
  return protocol === "query" ? QUERY_FORMAT : JSON_FORMAT;
}
