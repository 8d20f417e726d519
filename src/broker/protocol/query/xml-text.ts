/**
 * Text as SQS writes it inside XML elements: `&`, `<`, `>` and `"` as
 * entities (recorded SQS bodies read `{&quot;a&quot;:1}`; `'` stays as it
 * is), and `\r` as `&#xD;`, since an XML parser turns a raw `\r\n` into `\n`
 * and a body must come back byte for byte.
 *
 * Characters XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF, lone
 * surrogates) cannot reach a response from a message: SQS refuses them in
 * bodies and attribute values. Queue attributes and tags are free text, so
 * any such character left there is written as U+FFFD rather than breaking
 * the document for the client's parser.
 */

// eslint-disable-next-line no-control-regex -- control characters are what must be handled
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const ESCAPED =
  // eslint-disable-next-line no-control-regex -- as above
  /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\r": "&#xD;",
};

/** `text` escaped for an XML element's content. */
export function xmlText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, escapeOne) : text;
}

function escapeOne(char: string): string {
  return ENTITIES[char] ?? "\ufffd";
}
