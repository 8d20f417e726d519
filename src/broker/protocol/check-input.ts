import { errors } from "../engine/errors.ts";
import { ProtocolError } from "./protocol-error.ts";
import type { Members, Shape } from "./shapes.ts";

/**
 * Checks a decoded JSON request against an action's members: required
 * members present, every value of its declared type. Blobs arrive as base64
 * and leave as bytes. Unknown members are ignored, as AWS does.
 */
export function checkInput(members: Members, input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ProtocolError("SerializationException", "Start of structure or map found where not expected.");
  }
  const record = input as Record<string, unknown>;
  for (const name in members) {
    const member = members[name]!;
    const value = record[name];
    if (value === undefined || value === null) {
      if (member.required) throw errors.missingParameter(name);
      if (value === null) delete record[name];
      continue;
    }
    record[name] = checkValue(member.shape, value, name);
  }
  return record;
}

function checkValue(shape: Shape, value: unknown, path: string): unknown {
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") throw wrongType(path, "STRING_VALUE", value);
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(path, "INTEGER_VALUE", value);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrongType(path, "BOOLEAN_VALUE", value);
      return value;
    case "blob":
      if (typeof value !== "string") throw wrongType(path, "BLOB_VALUE", value);
      return decodeBase64(value, path);
    case "list": {
      if (!Array.isArray(value)) throw wrongType(path, "LIST_VALUE", value);
      return value.map((item, i) => checkValue(shape.member, item, `${path}.${i + 1}`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw wrongType(path, "MAP_VALUE", value);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = checkValue(shape.value, item, `${path}.${key}`);
      }
      return out;
    }
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) throw wrongType(path, "STRUCTURE_VALUE", value);
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const item = (value as Record<string, unknown>)[name];
        if (item === undefined || item === null) {
          if (member.required) throw errors.missingParameter(`${path}.${name}`);
          continue;
        }
        out[name] = checkValue(member.shape, item, `${path}.${name}`);
      }
      return out;
    }
  }
}

function wrongType(path: string, expected: string, value: unknown): ProtocolError {
  const found = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
  return new ProtocolError(
    "SerializationException",
    `${expected} can not be converted from ${found} (member ${path}).`,
  );
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, path: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new ProtocolError("SerializationException", `Invalid base64 value for member ${path}.`);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}
