import { md5OfAttributes } from "./checksums.ts";
import { dedupIdOf } from "./dead-letters.ts";
import { formatSequenceNumber } from "./fifo-ids.ts";
import { setMapEntry } from "./map-entry.ts";
import type { MessageState } from "./message-state.ts";
import type { MessageAttributes, MessagePayload, ReceivedMessage } from "./message-types.ts";
import type { Queue } from "./queue.ts";
import { encodeReceiptHandle } from "./receipt-handle.ts";

/** The system attributes ReceiveMessage can return. */
export const systemAttributeNames = [
  "All",
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "AWSTraceHeader",
  "DeadLetterQueueSourceArn",
] as const;

/** Which attributes a receive asked for, decided once per request rather than per message. */
export interface AttributeSelection {
  system: Set<string>;
  allSystem: boolean;
  /** Undefined: no message attributes; "all"; or a matcher for names and `prefix.*` patterns. */
  message: undefined | "all" | ((name: string) => boolean);
}

export function selectAttributes(
  systemNames: string[],
  messageNames: string[],
): AttributeSelection {
  const system = new Set(systemNames);
  let message: AttributeSelection["message"];
  if (messageNames.some((n) => n === "All" || n === ".*" || n === "*")) message = "all";
  else if (messageNames.length > 0) {
    const exact = new Set(messageNames.filter((n) => !n.endsWith(".*")));
    // "Hel.*" selects every name starting with "Hel" (Hello, Help), as on AWS.
    const prefixes = messageNames.filter((n) => n.endsWith(".*")).map((n) => n.slice(0, -2));
    message = (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
  }
  return { system, allSystem: system.has("All"), message };
}

/** Builds what ReceiveMessage returns for one delivered message. */
export function toReceivedMessage(
  queue: Queue,
  message: MessageState,
  payload: MessagePayload,
  selection: AttributeSelection,
): ReceivedMessage {
  const received: ReceivedMessage = {
    MessageId: payload.messageId,
    ReceiptHandle: encodeReceiptHandle(message),
    MD5OfBody: payload.md5OfBody,
    Body: payload.body,
  };
  const attributes = systemAttributes(queue, message, payload, selection);
  if (attributes) received.Attributes = attributes;
  const selected = selectMessageAttributes(payload, selection);
  if (selected) {
    received.MessageAttributes = selected.attributes;
    received.MD5OfMessageAttributes = selected.md5;
  }
  return received;
}

function systemAttributes(
  queue: Queue,
  message: MessageState,
  payload: MessagePayload,
  selection: AttributeSelection,
): Record<string, string> | undefined {
  if (selection.system.size === 0) return undefined;
  const wanted = (name: string) => selection.allSystem || selection.system.has(name);
  const out: Record<string, string> = {};
  if (wanted("SenderId")) out.SenderId = payload.senderId;
  if (wanted("ApproximateFirstReceiveTimestamp")) {
    out.ApproximateFirstReceiveTimestamp = String(message.firstReceivedAt);
  }
  if (wanted("ApproximateReceiveCount")) out.ApproximateReceiveCount = String(message.receiveCount);
  if (wanted("SentTimestamp")) out.SentTimestamp = String(message.sentAt);
  if (queue.fifo) {
    if (wanted("SequenceNumber")) out.SequenceNumber = formatSequenceNumber(message.seq);
    if (wanted("MessageDeduplicationId")) {
      const deduplicationId = dedupIdOf(queue, message, payload);
      if (deduplicationId !== undefined) out.MessageDeduplicationId = deduplicationId;
    }
  }
  if (wanted("MessageGroupId") && message.groupId !== undefined)
    out.MessageGroupId = message.groupId;
  const trace = payload.systemAttributes?.AWSTraceHeader?.StringValue;
  if (wanted("AWSTraceHeader") && trace !== undefined) out.AWSTraceHeader = trace;
  if (wanted("DeadLetterQueueSourceArn") && message.deadLetterSourceArn !== undefined) {
    out.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The requested message attributes and the MD5 of exactly those, or undefined when none match. */
function selectMessageAttributes(
  payload: MessagePayload,
  selection: AttributeSelection,
): { attributes: MessageAttributes; md5: string } | undefined {
  const all = payload.messageAttributes;
  if (!all || !selection.message) return undefined;
  if (selection.message === "all") return { attributes: all, md5: payload.md5OfMessageAttributes! };
  const matches = selection.message;
  const picked: MessageAttributes = {};
  let count = 0;
  for (const [name, value] of Object.entries(all)) {
    if (matches(name)) {
      setMapEntry(picked, name, value);
      count++;
    }
  }
  if (count === 0) return undefined;
  return { attributes: picked, md5: md5OfAttributes(picked)! };
}
