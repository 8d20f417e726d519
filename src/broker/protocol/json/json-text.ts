/**
 * JSON string quoting for the compiled writers (json-writer.ts). On Node 20,
 * JSON.stringify of a 10-message ReceiveMessage output costs about twice
 * what template strings do (measured 8 µs against 4), most of it quoting
 * strings that need no escaping at all: ids, digests, receipt handles and
 * most bodies.
 */

/** What JSON.stringify escapes in a string: quote, backslash, control characters, surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, exactly as JSON.stringify writes it. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}
