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
    throw new ProtocolError(
      "SerializationException",
      "Start of structure or map found where not expected.",
    );
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
      if (typeof value !== "string") throw wrongType(path, "a String", value);
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        throw wrongType(path, "an Integer", value);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrongType(path, "a Boolean", value);
      return value;
    case "blob":
      if (typeof value !== "string") throw wrongType(path, "a Blob", value);
      return decodeBase64(value, path);
    case "list": {
      if (!Array.isArray(value)) throw wrongType(path, "a List", value);
      return value.map((item, i) => checkValue(shape.member, item, `${path}.${i + 1}`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw wrongType(path, "a Map", value);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = checkValue(shape.value, item, `${path}.${key}`);
      }
      return out;
    }
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value))
        throw wrongType(path, "a Structure", value);
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

/** Texts in the style AWS's JSON deserializer uses ("STRING_VALUE can not be converted to an Integer"). */
function wrongType(_path: string, expected: string, value: unknown): ProtocolError {
  let message: string;
  if (Array.isArray(value)) message = "Start of list found where not expected";
  else if (typeof value === "object" && value !== null)
    message = "Start of structure or map found where not expected.";
  else {
    const kind =
      typeof value === "string" ? "STRING" : typeof value === "number" ? "NUMBER" : "BOOLEAN";
    message = `${kind}_VALUE can not be converted to ${expected}`;
  }
  return new ProtocolError("SerializationException", message);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, path: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new ProtocolError("SerializationException", `Invalid base64 value for member ${path}.`);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}
