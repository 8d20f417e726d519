/**
 * One delivered message as the practical prints it: `[HH:MM:SS] Client 1:
 * Message 7` (local time). A message without the `client` attribute prints
 * `(no client)` in its place; the original program crashed on those.
 */
export function formatReceivedLine(at: Date, client: string | undefined, body: string): string {
  return `[${clockTime(at)}] ${clientLabel(client)}: ${printable(body)}`;
}

/** A client's name on one line, `(no client)` for a message without one. */
export function clientLabel(client: string | undefined): string {
  return client === undefined ? "(no client)" : printable(client);
}

function clockTime(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

// A body with a line break or another control character is quoted, so every
// message stays on one line and scripts can read the output line by line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function printable(text: string): string {
  return CONTROL.test(text) ? JSON.stringify(text) : text;
}
