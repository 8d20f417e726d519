/**
 * JSON.parse takes about 1.5 µs per level of nesting (against 0.02 µs per
 * byte of a flat body): a 6 MiB body of `[[[[...` held the event loop, and
 * every other client, for about 5 s, and so would a policy attribute or a
 * NextToken of that size. No SQS input, and no JSON value inside one, nests
 * more than a few levels deep, so text nesting deeper than this is refused
 * unparsed.
 */
export const MAX_JSON_NESTING = 64;

/**
 * Text up to this many characters is parsed unscanned: it nests at most
 * 2,048 levels, a few milliseconds of JSON.parse, and the scan would cost
 * every small request (a SendMessage is a few hundred characters).
 */
const UNSCANNED_JSON_CHARS = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether the JSON `text` opens more than `limit` arrays and objects inside
 * one another. Strings are skipped with `indexOf`, so a large message body
 * costs little (about 70 µs a MiB); malformed text is left for JSON.parse.
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) i = closingQuote(text, i);
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth--;
  }
  return false;
}

/** JSON a client sent nests deeper than MAX_JSON_NESTING: refused unparsed. */
export class JsonTooDeepError extends SyntaxError {
  override readonly name = "JsonTooDeepError";
  constructor() {
    super(`JSON nests arrays and objects more than ${MAX_JSON_NESTING} levels deep`);
  }
}

/**
 * JSON.parse of text from a client, throwing a SyntaxError as JSON.parse
 * does for malformed text (a JsonTooDeepError when it nests more than
 * MAX_JSON_NESTING deep), so callers that refuse bad JSON refuse both.
 */
export function parseClientJson(text: string): unknown {
  if (text.length > UNSCANNED_JSON_CHARS && nestsDeeperThan(text, MAX_JSON_NESTING)) {
    throw new JsonTooDeepError();
  }
  return JSON.parse(text);
}

/** Where the string opened at `start` ends (its length when it never does). */
function closingQuote(text: string, start: number): number {
  let at = start;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
