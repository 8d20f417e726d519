import type { SqsError } from "../engine/errors.ts";
import type { ActionContext } from "./action.ts";
import type { HttpRequestParts } from "./http-request-parts.ts";
import type { ProtocolError } from "./protocol-error.ts";

/** A response ready to write: status, headers and body. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One wire protocol of SQS (AWS JSON 1.0, or AWS Query with XML answers):
 * it reads the action and its typed input out of a request, runs it, and
 * writes the answer or an error in its own format. Everything else (the
 * body, limits, authentication, commits) is the HTTP server's.
 */
export interface WireProtocol {
  readonly name: "json" | "query";
  /** The HTTP methods it is spoken with; any other is answered as an unknown operation (404). */
  readonly methods: readonly string[];
  /** Runs the request's action and returns the response body; throws SqsError or ProtocolError. */
  run(
    request: HttpRequestParts,
    context: ActionContext,
    requestId: string,
  ): string | Promise<string>;
  success(body: string, requestId: string): WireResponse;
  error(error: SqsError | ProtocolError, requestId: string): WireResponse;
}
