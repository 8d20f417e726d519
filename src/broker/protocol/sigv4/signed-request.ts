import type { HttpRequestParts } from "../http-request-parts.ts";

/** An incoming request as the verifier reads it. */
export type SignedRequest = HttpRequestParts;

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
