/** `text` cut to `max` characters, its end made `...`: bad input can be any length. */
export function shortened(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `text` in double quotes for a reason or log line, cut to 60 characters. */
export function quoted(text: string): string {
  return JSON.stringify(shortened(text));
}
