import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BrokerLogger } from "../broker-options.ts";
import { SqsError } from "../engine/errors.ts";
import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { BrokerStore } from "../engine/store.ts";
import type { BrowserGuard } from "./browser-guard.ts";
import { answerHealthCheck } from "./health-check.ts";
import { jsonProtocol } from "./json/json-protocol.ts";
import { operationNotFound, ProtocolError } from "./protocol-error.ts";
import { queryProtocol } from "./query/query-protocol.ts";
import { queueNameFromUrl } from "./queue-url.ts";
import type { QueueUrlBase } from "./queue-url-base.ts";
import { RequestContext } from "./request-context.ts";
import type { SigV4Verifier } from "./sigv4/sigv4-verifier.ts";
import type { SharedContext } from "./request-context.ts";
import { requestParts } from "./http-request-parts.ts";
import type { HttpRequestParts } from "./http-request-parts.ts";
import type { WireProtocol, WireResponse } from "./wire-protocol.ts";

/** Largest request body accepted: a full 1 MiB batch, with room for JSON or form escaping. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface RequestHandlerOptions {
  engine: SqsEngine;
  store: BrokerStore;
  logger: BrokerLogger | undefined;
  /** Where each request's queue URLs point. */
  queueUrlBase: QueueUrlBase;
  /** Checks every request's SigV4 signature; none: every request is served. */
  verifier: SigV4Verifier | undefined;
  /** Turns away browsers sent by other web pages. */
  browserGuard: BrowserGuard;
}

/**
 * The SQS API over HTTP (create-broker.ts puts the read-only metrics routes
 * in front of it). The health check (health-check.ts) takes its GETs and
 * HEADs first. Otherwise the protocol
 * is known from the headers (see protocolOf), so a body that is too large is
 * refused in the right format before it is read. Each
 * request runs its action on the engine at once; the answer goes out only
 * when the store has committed what the action wrote, so an acknowledged
 * send or delete survives a crash.
 */
export function createRequestHandler(options: RequestHandlerOptions) {
  const accountId = options.engine.location.accountId;
  const shared: SharedContext = {
    engine: options.engine,
    accountId,
    queueName: (url) => queueNameFromUrl(url, accountId),
    queueUrlBase: options.queueUrlBase,
  };
  let lastStoreError: Error | undefined;
  return function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    if (answerHealthCheck(req, res, options.store)) return;
    const protocol = protocolOf(req);
    if (declaresTooLargeBody(req)) return refuseTooLarge(req, res, protocol);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return refuseTooLarge(req, res, protocol);
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      dispatch(req, res, protocol, body);
    });
    req.on("error", () => res.destroy());
  };

  function dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: WireProtocol,
    body: Buffer,
  ): void {
    const requestId = randomUUID();
    const request = requestParts(req, body);
    try {
      options.browserGuard(req.headers);
      const caller = options.verifier?.verify(request);
      if (!protocol.methods.includes(request.method)) throw operationNotFound();
      const context = new RequestContext(shared, req, res, caller?.accessKeyId);
      const output = protocol.run(request, context, requestId);
      if (output instanceof Promise) {
        output.then(
          (value) => answer(res, protocol, protocol.success(value, requestId), requestId),
          (error: unknown) =>
            answer(res, protocol, failure(protocol, error, requestId, request), requestId),
        );
      } else {
        answer(res, protocol, protocol.success(output, requestId), requestId);
      }
    } catch (error) {
      answer(res, protocol, failure(protocol, error, requestId, request), requestId);
    }
  }

  /** Writes the response once everything the request changed is committed. */
  function answer(
    res: ServerResponse,
    protocol: WireProtocol,
    response: WireResponse,
    requestId: string,
  ): void {
    options.store.whenCommitted((error) => {
      if (!error) return write(res, response);
      // A failed store gives every later request the same error: logged once.
      if (error !== lastStoreError)
        options.logger?.error({ err: error.message }, "store commit failed");
      lastStoreError = error;
      const unavailable = new ProtocolError(
        "ServiceUnavailable",
        `The broker could not store the request: ${error.message}.`,
      );
      write(res, protocol.error(unavailable, requestId));
    });
  }

  function failure(
    protocol: WireProtocol,
    error: unknown,
    requestId: string,
    request: HttpRequestParts,
  ): WireResponse {
    if (error instanceof SqsError || error instanceof ProtocolError) {
      return protocol.error(error, requestId);
    }
    options.logger?.error(
      {
        err: error instanceof Error ? error.stack : String(error),
        protocol: protocol.name,
        target: request.headers["x-amz-target"],
      },
      "request failed",
    );
    return protocol.error(
      new ProtocolError("InternalFailure", "We encountered an internal error. Please try again."),
      requestId,
    );
  }
}

/**
 * The content type decides: a JSON one is JSON, a form is Query, whatever
 * `X-Amz-Target` says (Perl's Amazon::SQS::Simple posts forms with
 * `X-Amz-Target: AmazonSQSv20121105.<Action>`, and SQS answers it in XML).
 * With neither, an `X-Amz-Target` means JSON, and anything else is Query.
 */
function protocolOf(req: IncomingMessage): WireProtocol {
  const type = req.headers["content-type"];
  if (type !== undefined) {
    if (JSON_CONTENT_TYPE.test(type)) return jsonProtocol;
    if (FORM_CONTENT_TYPE.test(type)) return queryProtocol;
  }
  return req.headers["x-amz-target"] !== undefined ? jsonProtocol : queryProtocol;
}

// Media types are case-insensitive (RFC 9110 section 8.3.1).
const JSON_CONTENT_TYPE = /^application\/x-amz-json/i;
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded/i;

/**
 * Whether the request declares a body over the limit, which is refused
 * before it is read; also asked before answering `Expect: 100-continue`, so
 * the client is not invited to send what will be refused.
 */
export function declaresTooLargeBody(req: IncomingMessage): boolean {
  return Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES;
}

/** Answers 413 without reading the rest of the body, and closes the connection. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, protocol: WireProtocol): void {
  if (res.headersSent || res.destroyed) return;
  req.pause();
  const response = protocol.error(
    new ProtocolError(
      "RequestEntityTooLarge",
      `Request body must be at most ${MAX_BODY_BYTES} bytes.`,
    ),
    randomUUID(),
  );
  response.headers.connection = "close";
  write(res, response);
  // End our side at once, but leave the client a moment to read the answer:
  // closing with its unread body still in our buffer would send a reset,
  // which can make the client drop the 413 it has not read yet.
  const socket = req.socket;
  res.once("finish", () => {
    socket.end();
    setTimeout(() => socket.destroy(), 500).unref();
  });
}

function write(res: ServerResponse, response: WireResponse): void {
  if (res.destroyed || res.headersSent) return;
  response.headers["content-length"] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
