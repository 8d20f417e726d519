/**
 * Pieces for the hand-written JSON of the hottest outputs (SendMessage,
 * the batch results, ReceiveMessage). On Node 20, JSON.stringify of a
 * 10-message ReceiveMessage output costs about twice the template strings
 * here (measured 8 µs against 4), most of it quoting strings that need no
 * escaping at all: ids, digests, receipt handles and most bodies. Each
 * writer must produce exactly what JSON.stringify would
 * (test/broker/protocol/json-writers.test.ts).
 */

/** What JSON.stringify escapes in a string: quote, backslash, control characters, surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, as JSON.stringify writes it. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** A batch result (`Successful`, optional `Failed`) with each successful entry written by `writeEntry`. */
export function writeBatchResult<T>(
  result: { Successful: T[]; Failed?: unknown[] },
  writeEntry: (entry: T) => string,
): string {
  let text = '{"Successful":[';
  const successful = result.Successful;
  for (let i = 0; i < successful.length; i++) {
    text += i === 0 ? writeEntry(successful[i]!) : `,${writeEntry(successful[i]!)}`;
  }
  text += "]";
  // Failed entries are rare: JSON.stringify will do.
  if (result.Failed !== undefined) text += `,"Failed":${JSON.stringify(result.Failed)}`;
  return `${text}}`;
}

/** An entry that is only its Id (DeleteMessageBatch, ChangeMessageVisibilityBatch). */
export function writeIdEntry(entry: { Id: string }): string {
  return `{"Id":${jsonString(entry.Id)}}`;
}
