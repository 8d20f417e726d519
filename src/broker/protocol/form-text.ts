/**
 * Decodes one key or value of a form or a URL's query string, as a browser
 * does: `+` is a space, and a stray `%` or bytes that are not UTF-8 are kept
 * as URLSearchParams keeps them (U+FFFD for bad bytes). The Query protocol
 * reads its parameters with it, and the SigV4 check canonicalises with it,
 * so that a signature always covers what runs.
 */
export function decodeFormText(text: string): string {
  if (text.indexOf("%") < 0 && text.indexOf("+") < 0) return text;
  try {
    return decodeURIComponent(text.includes("+") ? text.replaceAll("+", " ") : text);
  } catch {
    return new URLSearchParams(`x=${text}`).get("x") ?? "";
  }
}
