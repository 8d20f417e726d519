import type { IncomingHttpHeaders } from "node:http";

/** An incoming request as the verifier needs it: everything as received, nothing decoded. */
export interface SignedRequest {
  /** `POST`, `GET`... */
  method: string;
  /** The raw request path as received, without the query string (`/000000000000/q`, `/`). */
  path: string;
  /** The raw query string without `?`, as received; `""` when there is none. */
  query: string;
  /** Node's lower-cased header object. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One access key the broker accepts. */
export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the caller acts as (12 digits). */
  accountId: string;
}

/** Who signed a request that verified. */
export interface VerifiedCaller {
  accessKeyId: string;
  accountId: string;
}
