import type { BatchOutcome, ReceivedMessage } from "./responses.ts";

/**
 * The parts of SQS Query (XML) answers the generator reads, found with
 * indexOf: the answers have fixed shapes, and an XML parser would cost the
 * generator, which shares two cores with the broker, many times more.
 * Element text is XML-escaped, so a `<` inside a value can never be taken
 * for a tag.
 */

const ERROR_ENTRY = "<BatchResultErrorEntry>";

/**
 * Counts `<SendMessageBatchResultEntry>` (or `<DeleteMessageBatchResultEntry>`)
 * and `<BatchResultErrorEntry>` elements; failed entries' Ids go into
 * `failedIds`, the first one's Code and Message into `firstFailure`.
 */
export function parseQueryBatchOutcome(
  xml: string,
  action: "SendMessageBatch" | "DeleteMessageBatch",
): BatchOutcome {
  const entry = `<${action}ResultEntry>`;
  let succeeded = 0;
  for (let at = xml.indexOf(entry); at >= 0; at = xml.indexOf(entry, at + entry.length)) {
    succeeded++;
  }
  const outcome: BatchOutcome = { succeeded, failed: 0, failedIds: [] };
  for (let at = xml.indexOf(ERROR_ENTRY); at >= 0; at = xml.indexOf(ERROR_ENTRY, at + 1)) {
    const end = xml.indexOf("</BatchResultErrorEntry>", at);
    outcome.failed++;
    outcome.failedIds.push(elementText(xml, "Id", at, end) ?? "");
    outcome.firstFailure ??= `${elementText(xml, "Code", at, end)}: ${elementText(xml, "Message", at, end)}`;
  }
  return outcome;
}

/** Each `<Message>`'s ReceiptHandle and Body, in order. */
export function parseQueryReceivedMessages(xml: string): ReceivedMessage[] {
  const messages: ReceivedMessage[] = [];
  for (let at = xml.indexOf("<Message>"); at >= 0; at = xml.indexOf("<Message>", at + 9)) {
    const end = xml.indexOf("</Message>", at);
    messages.push({
      ReceiptHandle: elementText(xml, "ReceiptHandle", at, end) ?? "",
      Body: elementText(xml, "Body", at, end) ?? "",
    });
  }
  return messages;
}

/** The unescaped text of the first `<name>` between `from` and `to`; undefined when absent. */
function elementText(xml: string, name: string, from: number, to: number): string | undefined {
  const open = xml.indexOf(`<${name}>`, from);
  if (open < 0 || (to >= 0 && open > to)) return undefined;
  const start = open + name.length + 2;
  const close = xml.indexOf(`</${name}>`, start);
  if (close < 0) return undefined;
  const text = xml.slice(start, close);
  return text.includes("&") ? unescapeXml(text) : text;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}
