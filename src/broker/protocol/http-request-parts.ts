import type { IncomingHttpHeaders } from "node:http";

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
  body: Buffer;
}
