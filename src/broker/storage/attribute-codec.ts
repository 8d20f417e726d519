import { setMapEntry } from "../engine/map-entry.ts";
import type { MessageAttributes, MessageAttributeValue } from "../engine/message-types.ts";

/**
 * How message (and system) attributes are kept in one TEXT column: a JSON
 * array with one entry per attribute, `[name, DataType]`,
 * `[name, DataType, StringValue]` or `[name, DataType, StringValue | null,
 * base64 BinaryValue]`. Arrays instead of objects keep the member names out
 * of every row; JSON because V8 parses it faster than any hand-written
 * decoder, and attributes are read only when a message is delivered.
 */
type EncodedAttribute =
  | [name: string, dataType: string]
  | [name: string, dataType: string, stringValue: string]
  | [name: string, dataType: string, stringValue: string | null, binaryValue: string];

/** Encodes attributes for storage; `null` (a NULL column) when there are none at all. */
export function encodeAttributes(attributes: MessageAttributes | undefined): string | null {
  if (attributes === undefined) return null;
  const encoded: EncodedAttribute[] = [];
  for (const name of Object.keys(attributes)) {
    const value = attributes[name]!;
    if (value.BinaryValue !== undefined) {
      encoded.push([name, value.DataType, value.StringValue ?? null, toBase64(value.BinaryValue)]);
    } else if (value.StringValue !== undefined) {
      encoded.push([name, value.DataType, value.StringValue]);
    } else {
      encoded.push([name, value.DataType]);
    }
  }
  return JSON.stringify(encoded);
}

/** Decodes what `encodeAttributes` wrote; binary values come back as plain `Uint8Array`s. */
export function decodeAttributes(text: string): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const [name, dataType, stringValue, binaryValue] of JSON.parse(text) as EncodedAttribute[]) {
    const value: MessageAttributeValue = { DataType: dataType };
    if (stringValue !== undefined && stringValue !== null) value.StringValue = stringValue;
    if (binaryValue !== undefined) value.BinaryValue = fromBase64(binaryValue);
    // `__proto__` is a legal attribute name.
    setMapEntry(attributes, name, value);
  }
  return attributes;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function fromBase64(text: string): Uint8Array {
  // Copied out of the Buffer: a Buffer (a Uint8Array subclass that may share
  // a pooled slab) would not round-trip as the Uint8Array that was written.
  return new Uint8Array(Buffer.from(text, "base64"));
}
