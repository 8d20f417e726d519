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
 * The most values (object members and array items) client JSON may hold.
 * Wide JSON is slow too: JSON.parse of an object of 200,000 members takes
 * about 0.9 s, and a request's check and its action walk them again (a
 * TagQueue of 420,000 tags, 5.5 MiB, held every client for 9.8 s). The
 * largest SQS input holds a few hundred (a SendMessageBatch of 10 entries
 * with 10 attributes each, about 350); this is the Query protocol's bound
 * on parameters (query-params.ts), so both protocols take the same inputs.
 */
export const MAX_JSON_VALUES = 10_000;

/**
 * Text up to this many characters is parsed unscanned: it nests at most
 * 2,048 levels and holds at most 2,048 values, a few milliseconds of
 * JSON.parse, and the scan would cost every small request (a SendMessage
 * is a few hundred characters).
 */
const UNSCANNED_JSON_CHARS = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** What a scan found wrong with JSON text, if anything. */
type ScanVerdict = "fine" | "too deep" | "too wide";

/**
 * Whether the JSON `text` opens more than MAX_JSON_NESTING arrays and
 * objects inside one another, or holds more than MAX_JSON_VALUES values, in
 * one pass that stops at the first excess. A value is the first of its array
 * or object, after the bracket, or follows a comma, so brackets opened plus
 * commas count every value (an empty `[]` counts one). Strings are skipped
 * with `indexOf`, so a large message body costs little (about 70 µs a MiB);
 * malformed text is left for JSON.parse.
 */
function scan(text: string): ScanVerdict {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) i = closingQuote(text, i);
    else if (code === COMMA) {
      if (++values > MAX_JSON_VALUES) return "too wide";
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > MAX_JSON_NESTING) return "too deep";
      if (++values > MAX_JSON_VALUES) return "too wide";
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth--;
  }
  return "fine";
}

/** JSON a client sent nests deeper than MAX_JSON_NESTING: refused unparsed. */
export class JsonTooDeepError extends SyntaxError {
  override readonly name = "JsonTooDeepError";
  constructor() {
    super(`JSON nests arrays and objects more than ${MAX_JSON_NESTING} levels deep`);
  }
}

/** JSON a client sent holds more than MAX_JSON_VALUES values: refused unparsed. */
export class JsonTooWideError extends SyntaxError {
  override readonly name = "JsonTooWideError";
  constructor() {
    super(`JSON holds more than ${MAX_JSON_VALUES} object members and array items`);
  }
}

/**
 * JSON.parse of text from a client, throwing a SyntaxError as JSON.parse
 * does for malformed text (a JsonTooDeepError when it nests more than
 * MAX_JSON_NESTING deep, a JsonTooWideError when it holds more than
 * MAX_JSON_VALUES values), so callers that refuse bad JSON refuse all three.
 */
export function parseClientJson(text: string): unknown {
  if (text.length > UNSCANNED_JSON_CHARS) {
    const verdict = scan(text);
    if (verdict === "too deep") throw new JsonTooDeepError();
    if (verdict === "too wide") throw new JsonTooWideError();
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
