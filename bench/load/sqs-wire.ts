/** The SQS actions the benchmark sends, in AWS JSON 1.0 form. */
export type SqsAction =
  | "CreateQueue"
  | "ListQueues"
  | "GetQueueAttributes"
  | "SendMessage"
  | "SendMessageBatch"
  | "ReceiveMessage"
  | "DeleteMessageBatch";

/** Request headers, built once per action so the hot loop allocates none. */
export type WireHeaders = Record<string, string>;

const headerCache = new Map<SqsAction, WireHeaders>();

/**
 * Headers of an AWS JSON 1.0 request. No Authorization header: neither
 * Mailroom nor fauxqs checks signatures, and signing would cost the generator
 * CPU that belongs to the broker.
 */
export function sqsHeaders(action: SqsAction): WireHeaders {
  let headers = headerCache.get(action);
  if (headers === undefined) {
    headers = {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `AmazonSQS.${action}`,
    };
    headerCache.set(action, headers);
  }
  return headers;
}

/** Every message body in the benchmark is this many bytes, as the issue asks. */
export const BODY_BYTES = 100;

const PADDING = "x".repeat(BODY_BYTES);

/** A unique 100-byte ASCII body: unique so FIFO content-based dedup never drops one. */
export function messageBody(tag: string): string {
  return tag.length >= BODY_BYTES ? tag.slice(0, BODY_BYTES) : tag + PADDING.slice(tag.length);
}

/** Quotes a string for a JSON document (queue URLs and ids here never need escaping, but be safe). */
export function jsonString(value: string): string {
  return JSON.stringify(value);
}
