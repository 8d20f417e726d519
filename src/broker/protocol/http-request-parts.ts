import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { splitRequestTarget } from "../../web/request-target.ts";

/**
 * The parts of an HTTP request that a wire protocol and the SigV4 check
 * read: everything as received, nothing decoded.
 */
export interface HttpRequestParts {
  /** `POST`, `GET`... */
  method: string;
  /** The path as received, still percent-encoded, without the query string (`/000000000000/q`, `/`). */
  path: string;
  /** The query string as received, without `?` ("" when none). */
  query: string;
  /** Node's lower-cased header object. */
  headers: IncomingHttpHeaders;
  /** The headers as received, name and value in turn (a repeated header's values apart). */
  rawHeaders: readonly string[];
  body: Buffer;
}

/** The parts of `req`, whose target may be in absolute form (see splitRequestTarget). */
export function requestParts(req: IncomingMessage, body: Buffer): HttpRequestParts {
  const { path, query } = splitRequestTarget(req.url ?? "/");
  return {
    method: req.method ?? "GET",
    path,
    query,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body,
  };
}
