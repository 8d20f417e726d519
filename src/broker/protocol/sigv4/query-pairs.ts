import { decodeFormText } from "../form-text.ts";

/** One `key=value` pair of a URL query string, percent-decoded. */
export interface QueryParam {
  key: string;
  value: string;
}

/**
 * Splits a raw query string into decoded pairs, in order, duplicates kept.
 *
 * Decoded exactly as the Query protocol reads a GET's parameters
 * (decodeFormText), so the signature is checked on what runs: `+` is a space,
 * and bad UTF-8 is U+FFFD, so `%FF` signs as U+FFFD and cannot pass for a
 * signed `%25FF`. The AWS SDKs never send a `+` (they encode a space as `%20`
 * and `+` as `%2B`); a client that signed a raw `+` as a plus gets
 * SignatureDoesNotMatch rather than its `a+b` run as `a b`.
 */
export function parseQuery(raw: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (raw === "") return params;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? "" : pair.slice(equals + 1);
    params.push({ key: decodeFormText(key), value: decodeFormText(value) });
  }
  return params;
}

/** The value of the first `key` (exact case), or undefined. */
export function queryValue(params: readonly QueryParam[], key: string): string | undefined {
  for (const param of params) if (param.key === key) return param.value;
  return undefined;
}
