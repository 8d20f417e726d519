import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BrokerLogger } from "../broker-options.ts";
import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { BrokerStore } from "../engine/store.ts";
import { isWireError, jsonError, jsonSuccess, runJsonAction } from "./json-protocol.ts";
import type { WireResponse } from "./json-protocol.ts";
import { ProtocolError } from "./protocol-error.ts";
import { queueNameFromUrl } from "./queue-url.ts";
import { RequestContext } from "./request-context.ts";
import type { SharedContext } from "./request-context.ts";

/** Largest request body accepted: a full 1 MiB batch, with room for JSON escaping. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface RequestHandlerOptions {
  engine: SqsEngine;
  store: BrokerStore;
  logger: BrokerLogger | undefined;
  /** Host:port to put in queue URLs when a request carries no Host header. */
  fallbackHost: () => string;
}

/**
 * The broker's HTTP entry point. Each request runs its action on the engine
 * at once; the answer goes out only when the store has committed what the
 * action wrote, so an acknowledged send or delete survives a crash.
 */
export function createRequestHandler(options: RequestHandlerOptions) {
  const accountId = options.engine.location.accountId;
  const shared: SharedContext = {
    engine: options.engine,
    accountId,
    queueName: (url) => queueNameFromUrl(url, accountId),
    fallbackHost: options.fallbackHost,
  };

  return function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const requestId = randomUUID();
      if (size > MAX_BODY_BYTES) {
        const error = new ProtocolError(
          "RequestEntityTooLarge",
          `Request body must be at most ${MAX_BODY_BYTES} bytes.`,
        );
        return write(res, jsonError(error, requestId));
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      dispatch(req, res, body, requestId);
    });
    req.on("error", () => res.destroy());
  };

  function dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    requestId: string,
  ): void {
    const target = req.headers["x-amz-target"];
    if (typeof target !== "string") {
      const error = new ProtocolError(
        "MissingAction",
        "Missing X-Amz-Target header: this broker speaks the AWS JSON 1.0 protocol of SQS.",
      );
      return write(res, jsonError(error, requestId));
    }
    const context = new RequestContext(shared, req, res);
    try {
      const output = runJsonAction(target, body, context);
      if (output instanceof Promise) {
        output.then(
          (value) => answer(res, jsonSuccess(value, requestId)),
          (error: unknown) => answer(res, failure(error, requestId, target)),
        );
      } else {
        answer(res, jsonSuccess(output, requestId));
      }
    } catch (error) {
      answer(res, failure(error, requestId, target));
    }
  }

  /** Writes the response once everything the request changed is committed. */
  function answer(res: ServerResponse, response: WireResponse): void {
    options.store.whenCommitted((error) => {
      if (!error) return write(res, response);
      options.logger?.error({ err: error.message }, "store commit failed");
      write(
        res,
        jsonError(
          new ProtocolError("ServiceUnavailable", "The broker could not store the request."),
          response.headers["x-amzn-requestid"]!,
        ),
      );
    });
  }

  function failure(error: unknown, requestId: string, target: string): WireResponse {
    if (isWireError(error)) return jsonError(error, requestId);
    options.logger?.error(
      { err: error instanceof Error ? error.stack : String(error), target },
      "request failed",
    );
    return jsonError(
      new ProtocolError("InternalFailure", "We encountered an internal error. Please try again."),
      requestId,
    );
  }
}

function write(res: ServerResponse, response: WireResponse): void {
  if (res.destroyed) return;
  response.headers["content-length"] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
