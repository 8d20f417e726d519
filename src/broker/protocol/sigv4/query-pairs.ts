/** One `key=value` pair of a URL query string, percent-decoded. */
export interface QueryParam {
  key: string;
  value: string;
}

/**
 * Splits a raw query string into decoded pairs, in order, duplicates kept.
 *
 * `+` is a space, as in a form: the Query protocol reads a GET's parameters
 * that way (query-params.ts), so the signature is checked on what runs. The
 * AWS SDKs never send a `+` (they encode a space as `%20` and `+` as `%2B`);
 * a client that signed a raw `+` as a plus gets SignatureDoesNotMatch rather
 * than its `a+b` run as `a b`.
 */
export function parseQuery(raw: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (raw === "") return params;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? "" : pair.slice(equals + 1);
    params.push({ key: decode(key), value: decode(value) });
  }
  return params;
}

/** The value of the first `key` (exact case), or undefined. */
export function queryValue(params: readonly QueryParam[], key: string): string | undefined {
  for (const param of params) if (param.key === key) return param.value;
  return undefined;
}

function decode(text: string): string {
  const spaced = text.includes("+") ? text.replaceAll("+", " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray `%` or bad UTF-8: keep it as sent, so it is re-encoded (`%25`)
    // and fails the signature check instead of the request parser.
    return spaced;
  }
}
