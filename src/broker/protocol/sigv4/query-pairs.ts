/** One `key=value` pair of a URL query string, percent-decoded. */
export interface QueryParam {
  key: string;
  value: string;
}

/**
 * Splits a raw query string into decoded pairs, in order, duplicates kept.
 *
 * `+` stays a literal `+` unless `plusIsSpace`: in a URL query it is an
 * ordinary character (RFC 3986), and the AWS SDKs never send one (they
 * encode a space as `%20` and `+` as `%2B`); only form encoders
 * (`URLSearchParams`, some hand-rolled signers) mean a space by it. The
 * verifier tries the literal reading first and the form reading only when
 * that signature does not match.
 */
export function parseQuery(raw: string, plusIsSpace = false): QueryParam[] {
  const params: QueryParam[] = [];
  if (raw === "") return params;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? "" : pair.slice(equals + 1);
    params.push({ key: decode(key, plusIsSpace), value: decode(value, plusIsSpace) });
  }
  return params;
}

/** The value of the first `key` (exact case), or undefined. */
export function queryValue(params: readonly QueryParam[], key: string): string | undefined {
  for (const param of params) if (param.key === key) return param.value;
  return undefined;
}

function decode(text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace && text.includes("+") ? text.replaceAll("+", " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray `%` or bad UTF-8: keep it as sent, so it is re-encoded (`%25`)
    // and fails the signature check instead of the request parser.
    return spaced;
  }
}
