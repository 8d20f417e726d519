import type { QueryParam } from "./query-pairs.ts";
import { uriEscape } from "./uri-escape.ts";

/** Never part of what is signed: it is the signature (compared in any case, as @smithy does). */
const SIGNATURE_PARAM = "x-amz-signature";

/**
 * The canonical query string: every pair but `X-Amz-Signature`, key and value
 * RFC 3986 encoded, sorted by encoded key then encoded value (code-unit order,
 * which is byte order for these ASCII strings), joined with `&`. A key without
 * `=` signs as `key=`, as the SigV4 spec and botocore do.
 */
export function canonicalQuery(params: readonly QueryParam[]): string {
  if (params.length === 0) return "";
  const pairs: [string, string][] = [];
  for (const { key, value } of params) {
    if (key.length === SIGNATURE_PARAM.length && key.toLowerCase() === SIGNATURE_PARAM) continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort(byKeyThenValue);
  let out = "";
  for (const [key, value] of pairs) out += `${out === "" ? "" : "&"}${key}=${value}`;
  return out;
}

function byKeyThenValue(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}
