import { incompletePresignedQuery } from "./auth-errors.ts";
import { queryValue } from "./query-pairs.ts";
import type { QueryParam } from "./query-pairs.ts";
import type { SignatureFields } from "./signature-fields.ts";

/** Required of a presigned URL, in the order AWS names the missing ones. */
const REQUIRED = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Signature",
  "X-Amz-SignedHeaders",
  "X-Amz-Date",
] as const;

/**
 * Reads a presigned URL's `X-Amz-*` query parameters (exact case, as AWS
 * matches them). `X-Amz-Expires` is optional.
 *
 * @throws ProtocolError IncompleteSignature naming every missing parameter.
 */
export function readPresignedQuery(params: readonly QueryParam[]): SignatureFields {
  const values = REQUIRED.map((name) => queryValue(params, name));
  const missing = REQUIRED.filter((_, i) => !values[i]);
  if (missing.length > 0) throw incompletePresignedQuery(missing);
  const [algorithm, credential, signature, signedHeaders, amzDate] = values as string[];
  return {
    algorithm: algorithm!,
    credential: credential!,
    signedHeaders: signedHeaders!,
    signature: signature!,
    amzDate: amzDate!,
    expires: queryValue(params, "X-Amz-Expires"),
    presigned: true,
  };
}
