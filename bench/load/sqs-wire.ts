/**
 * The two wire protocols of SQS the broker speaks on one port: AWS JSON 1.0
 * (`X-Amz-Target` header, JSON bodies) and AWS Query (form-encoded
 * `Action=...` bodies, XML answers).
 */
export type WireProtocol = "json" | "query";

/** The SQS actions the benchmark sends. */
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
 * Headers of an AWS JSON 1.0 request. No Authorization header: the servers
 * measured check no signatures (except the `sigv4-*` scenarios' server, whose
 * requests SigningTransport signs), and signing would cost the generator CPU
 * that belongs to the broker.
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

/** The one header of every Query request, whatever the action (it is in the body). */
export const QUERY_HEADERS: WireHeaders = {
  "content-type": "application/x-www-form-urlencoded; charset=utf-8",
};

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
