import { hash } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";

/** The parts of a canonical request, each already canonical. */
export interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  /** `name:value\n` lines. */
  headers: string;
  /** `host;x-amz-date`, lower case. */
  signedHeaders: string;
  payloadHash: string;
}

/** SigV4's canonical request: the six parts, one a line (the headers block ends in its own newline). */
export function canonicalRequest(parts: CanonicalParts): string {
  return `${parts.method}\n${parts.uri}\n${parts.query}\n${parts.headers}\n${parts.signedHeaders}\n${parts.payloadHash}`;
}

/** SigV4's string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/** SHA-256, lower-case hex; the one-shot `crypto.hash` avoids a Hash object per call. */
export function sha256Hex(data: string | Buffer): string {
  return hash("sha256", data, "hex");
}
