import type { Members, Shape } from "../shapes.ts";
import { jsonString } from "./json-text.ts";

/** Writes one action's output as JSON text. */
export type JsonWriter = (output: object) => string;

type WriteValue = (value: unknown) => string;

interface Field {
  name: string;
  /** `"Name":`, and `,"Name":` for every member after the first written. */
  first: string;
  next: string;
  write: WriteValue;
}

const compiled = new WeakMap<Members, JsonWriter>();

/**
 * The JSON writer of an output structure, compiled once from its members:
 * members in the order they are declared, absent ones left out, blobs as
 * base64. It writes what JSON.stringify would write of the same value
 * (test/broker/protocol/output-writers.test.ts), at about half the cost for
 * the hot outputs (SendMessage, the batches, ReceiveMessage), since it
 * quotes only strings that need it and walks no property lists.
 */
export function jsonWriterOf(members: Members): JsonWriter {
  let writer = compiled.get(members);
  if (writer === undefined) {
    writer = writeStructure(members) as JsonWriter;
    compiled.set(members, writer);
  }
  return writer;
}

function writerOf(shape: Shape): WriteValue {
  switch (shape.type) {
    case "string":
      return shape.plain ? writePlain : writeString;
    case "integer":
    case "boolean":
      return String;
    case "blob":
      return writeBlob;
    case "list":
      return writeList(writerOf(shape.member));
    case "map":
      return writeMap(writerOf(shape.value));
    case "structure":
      return writeStructure(shape.members);
  }
}

function writeString(value: unknown): string {
  return jsonString(value as string);
}

function writePlain(value: unknown): string {
  return `"${value as string}"`;
}

function writeBlob(value: unknown): string {
  return `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
}

function writeList(writeItem: WriteValue): WriteValue {
  return (value) => {
    const items = value as readonly unknown[];
    let text = "[";
    for (let i = 0; i < items.length; i++) {
      text += i === 0 ? writeItem(items[i]) : `,${writeItem(items[i])}`;
    }
    return `${text}]`;
  };
}

function writeMap(writeValue: WriteValue): WriteValue {
  return (value) => {
    const map = value as Record<string, unknown>;
    let text = "{";
    let first = true;
    for (const key in map) {
      text += `${first ? "" : ","}${jsonString(key)}:${writeValue(map[key])}`;
      first = false;
    }
    return `${text}}`;
  };
}

function writeStructure(members: Members): WriteValue {
  const fields: Field[] = Object.entries(members).map(([name, member]) => ({
    name,
    first: `"${name}":`,
    next: `,"${name}":`,
    write: writerOf(member.shape),
  }));
  return (value) => {
    const record = value as Record<string, unknown>;
    let text = "{";
    let first = true;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const item = record[field.name];
      if (item === undefined || item === null) continue;
      text += (first ? field.first : field.next) + field.write(item);
      first = false;
    }
    return `${text}}`;
  };
}
