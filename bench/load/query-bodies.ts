import { messageBody } from "./sqs-wire.ts";

/**
 * AWS Query request bodies (`application/x-www-form-urlencoded`), built like
 * the JSON ones in bodies.ts: constant parts encoded once per shape, then a
 * few concatenations per request. Member lists are 1-based
 * (`SendMessageBatchRequestEntry.1.Id`), as the SDKs send them.
 */

const VERSION = "Version=2012-11-05";
const FORM_SAFE = /^[A-Za-z0-9._~-]*$/;

/** One form value: left alone when it needs no escaping (every generated body and handle here). */
export function formValue(value: string): string {
  return FORM_SAFE.test(value) ? value : encodeURIComponent(value);
}

function head(action: string, queueUrl: string): string {
  return `Action=${action}&${VERSION}&QueueUrl=${encodeURIComponent(queueUrl)}`;
}

export function querySendBodies(queueUrl: string): (seq: number) => string {
  const send = querySendBodyOf(queueUrl);
  return (seq) => send(messageBody(`m${seq}-`));
}

/** A SendMessage carrying `body` (escaped if it has to be). */
export function querySendBodyOf(queueUrl: string): (body: string) => string {
  const start = `${head("SendMessage", queueUrl)}&MessageBody=`;
  return (body) => `${start}${formValue(body)}`;
}

/** FIFO sends spread round-robin over `groups` message groups. */
export function queryFifoSendBodies(queueUrl: string, groups: number): (seq: number) => string {
  const start = `${head("SendMessage", queueUrl)}&MessageGroupId=g`;
  return (seq) => `${start}${seq % groups}&MessageBody=${messageBody(`f${seq}-`)}`;
}

/** Per entry index: `&<Prefix>.<n>.Id=<i>&<Prefix>.<n>.<field>=`, n = i + 1. */
function entryHeads(prefix: string, field: string): string[] {
  return Array.from(
    { length: 10 },
    (_, i) => `&${prefix}.${i + 1}.Id=${i}&${prefix}.${i + 1}.${field}=`,
  );
}

/** A SendMessageBatch carrying the messages numbered `seqs` (at most 10), entry Ids "0".."9". */
export function queryBatchBodies(queueUrl: string): (seqs: readonly number[]) => string {
  const start = head("SendMessageBatch", queueUrl);
  const entries = entryHeads("SendMessageBatchRequestEntry", "MessageBody");
  return (seqs) => {
    let body = start;
    for (let i = 0; i < seqs.length; i++) body += `${entries[i]}${messageBody(`b${seqs[i]}-`)}`;
    return body;
  };
}

/** The receive request of drain and end to end; constant, so built once. */
export function queryReceiveBody(queueUrl: string, waitTimeSeconds: number): string {
  return `${head("ReceiveMessage", queueUrl)}&MaxNumberOfMessages=10&WaitTimeSeconds=${waitTimeSeconds}`;
}

export function queryDeleteBatchBodies(
  queueUrl: string,
): (receiptHandles: readonly string[]) => string {
  const start = head("DeleteMessageBatch", queueUrl);
  const entries = entryHeads("DeleteMessageBatchRequestEntry", "ReceiptHandle");
  return (receiptHandles) => {
    let body = start;
    for (let i = 0; i < receiptHandles.length; i++) {
      body += `${entries[i]}${formValue(receiptHandles[i]!)}`;
    }
    return body;
  };
}
