import type { IncomingHttpHeaders } from "node:http";
import { formatAmzDate } from "./amz-date.ts";
import { badDateFormat, badDateHeader, incompleteAuthorizationHeader } from "./auth-errors.ts";
import type { SignatureFields } from "./signature-fields.ts";

/** What may separate the header's parameters: AWS takes commas, spaces or both. */
const SEPARATOR = /[\s,]/;

/**
 * The form every AWS SDK sends, read with one match: about a quarter of
 * what verifying a request costs went into the general reading below.
 */
const SDK_FORM = /^([^\s,]+) Credential=([^\s,]+), SignedHeaders=([^\s,]+), Signature=([^\s,]+)$/;

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
  const sdkForm = SDK_FORM.exec(authorization);
  if (sdkForm !== null) {
    const [, algorithm, credential, signedHeaders, signature] = sdkForm;
    return fieldsWithDate(
      algorithm!,
      credential!,
      signedHeaders!,
      signature!,
      headers,
      authorization,
    );
  }
  const text = authorization.trim();
  const algorithmEnd = text.search(SEPARATOR);
  const algorithm = algorithmEnd < 0 ? text : text.slice(0, algorithmEnd);
  let credential = "";
  let signedHeaders: string | undefined;
  let signature = "";
  if (algorithmEnd >= 0) {
    const rest = text.slice(algorithmEnd + 1).trim();
    // The SDKs' `, ` first (splitting on a string is the cheap case); any other spacing after.
    let params = rest.split(", ");
    if (params.some((param) => SEPARATOR.test(param))) params = rest.split(/[\s,]+/);
    for (const param of params) {
      if (param.startsWith("Credential=")) credential = param.slice(11);
      else if (param.startsWith("SignedHeaders=")) signedHeaders = param.slice(14);
      else if (param.startsWith("Signature=")) signature = param.slice(10);
    }
  }
  return fieldsWithDate(algorithm, credential, signedHeaders, signature, headers, authorization);
}

/** The fields, with the request's date; IncompleteSignature for every part missing. */
function fieldsWithDate(
  algorithm: string,
  credential: string,
  signedHeaders: string | undefined,
  signature: string,
  headers: IncomingHttpHeaders,
  authorization: string,
): SignatureFields {
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
