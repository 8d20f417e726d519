/** `text` in double quotes for a reason or log line, cut to 60 characters: bad input can be any length. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
