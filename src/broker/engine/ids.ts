import { randomBytes } from "node:crypto";

/**
 * Where the ids the broker makes come from; injected (EngineOptions `ids`)
 * so tests can make them predictable. Each call answers an id never answered
 * before. The protocol writes ids without escaping them, so they must hold
 * no character that JSON or XML would escape; UUIDs are the model.
 */
export interface IdSource {
  /** A new message's MessageId (sent, or redriven by a move task). */
  messageId(): string;
  /** The `taskId` inside a message move task's TaskHandle. */
  taskId(): string;
}

/** The default: a random (version 4) UUID for each. */
export const randomIds: IdSource = { messageId: () => randomUuid(), taskId: () => randomUuid() };

/** Random bytes are drawn for this many ids at a time: one draw per id costs a system call. */
const IDS_PER_DRAW = 128;
const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
let pool = Buffer.alloc(0);
let poolOffset = 0;
const text = Buffer.alloc(36);

/**
 * A random (version 4) UUID, as `crypto.randomUUID` makes, but as one flat
 * string. Node builds its UUIDs by concatenation, and V8 keeps such a string
 * as a tree of pieces: 478 bytes of heap against 56 flat (measured). A
 * message id lives as long as its payload or its deduplication entry (five
 * minutes), so the difference is most of what those hold.
 */
export function randomUuid(): string {
  if (poolOffset === pool.length) {
    pool = randomBytes(16 * IDS_PER_DRAW);
    poolOffset = 0;
  }
  const at = poolOffset;
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x40; // version 4
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80; // RFC 4122 variant
  let written = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[written++] = 0x2d; // "-"
    const byte = pool[at + i]!;
    text[written++] = HEX_DIGITS[byte >> 4]!;
    text[written++] = HEX_DIGITS[byte & 0x0f]!;
  }
  poolOffset += 16;
  return text.toString("latin1", 0, 36);
}
