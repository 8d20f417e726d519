import type { IncomingHttpHeaders } from "node:http";
import { formatAmzDate } from "./amz-date.ts";
import { badDateFormat, badDateHeader, incompleteAuthorizationHeader } from "./auth-errors.ts";
import type { SignatureFields } from "./signature-fields.ts";

/**
 * Reads `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=...` and the request's date (`X-Amz-Date`, else `Date`).
 * Parameters may be separated by commas, spaces or both, as AWS accepts.
 *
 * @throws ProtocolError IncompleteSignature naming every missing part.
 */
export function readAuthorizationHeader(
  authorization: string,
  headers: IncomingHttpHeaders,
): SignatureFields {
  const text = authorization.trim();
  const end = text.length;
  let i = 0;
  while (i < end && !isSeparator(text.charCodeAt(i))) i++;
  const algorithm = text.slice(0, i);
  let credential = "";
  let signedHeaders: string | undefined;
  let signature = "";
  // One pass over `name=value` tokens, no intermediate arrays: this runs on every request.
  while (i < end) {
    if (isSeparator(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let tokenEnd = i;
    while (tokenEnd < end && !isSeparator(text.charCodeAt(tokenEnd))) tokenEnd++;
    if (text.startsWith("Credential=", i)) credential = text.slice(i + 11, tokenEnd);
    else if (text.startsWith("SignedHeaders=", i)) signedHeaders = text.slice(i + 14, tokenEnd);
    else if (text.startsWith("Signature=", i)) signature = text.slice(i + 10, tokenEnd);
    i = tokenEnd;
  }
  const amzDate = headers["x-amz-date"];
  const date = headers.date;
  if (Array.isArray(amzDate)) throw badDateFormat(amzDate.join(","));
  const noDate = !amzDate && !date;
  // An empty SignedHeaders is well-formed here; it fails the `host` check next.
  if (credential === "" || signature === "" || signedHeaders === undefined || noDate) {
    const missing: string[] = [];
    if (credential === "") missing.push("Credential");
    if (signature === "") missing.push("Signature");
    if (signedHeaders === undefined) missing.push("SignedHeaders");
    throw incompleteAuthorizationHeader(missing, noDate, authorization);
  }
  return {
    algorithm,
    credential,
    signedHeaders: signedHeaders ?? "",
    signature,
    amzDate: amzDate || dateHeaderAsAmzDate(date ?? ""),
    expires: undefined,
    presigned: false,
  };
}

/** SigV4 signs the `Date` header's time in the basic ISO form, when there is no `X-Amz-Date`. */
function dateHeaderAsAmzDate(date: string): string {
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) throw badDateHeader(date);
  return formatAmzDate(ms);
}

/** Space, tab or comma: what may separate the header's parameters. */
function isSeparator(code: number): boolean {
  return code === 0x20 || code === 0x2c || code === 0x09;
}
