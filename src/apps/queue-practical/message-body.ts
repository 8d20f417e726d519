/**
 * The practical's message bodies: `"{prepend}Message {i}"`. The prefix lets a
 * re-run on a FIFO queue with content-based deduplication send bodies the
 * queue has not seen in the last five minutes.
 */
export function formatMessageBody(prepend: string, index: number): string {
  return `${prepend}Message ${index}`;
}

/** A body split back into the sender's prefix and its sequence number. */
export interface ParsedMessageBody {
  readonly prefix: string;
  readonly number: number;
}

const MESSAGE_BODY = /^([\s\S]*)Message (\d+)$/;

/**
 * Reads `"{prefix}Message {n}"`; any other body (another tool's message, a
 * hand-typed one) is `undefined` rather than an error, since a receiver must
 * print whatever arrives.
 */
export function parseMessageBody(body: string): ParsedMessageBody | undefined {
  const match = MESSAGE_BODY.exec(body);
  if (!match) return undefined;
  const number = Number(match[2]);
  return Number.isSafeInteger(number) ? { prefix: match[1]!, number } : undefined;
}
