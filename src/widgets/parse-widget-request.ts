import { WIDGET_REQUEST_TYPES } from "./widget-request.ts";
import type { OtherAttribute, WidgetRequest, WidgetRequestType } from "./widget-request.ts";
import { quoted } from "./quoted.ts";

export type ParsedWidgetRequest =
  | { readonly ok: true; readonly request: WidgetRequest }
  | { readonly ok: false; readonly reason: string };

/** Letters and spaces with at least one letter, anchored (the course schema forgot the anchors). */
const OWNER_PATTERN = /^(?=.*[A-Za-z])[A-Za-z ]+$/;
/**
 * Widget ids are UUIDs in practice; anything safe as one path segment of an S3
 * key or a file name is accepted, so `..` or `a/b` can never escape a store.
 */
const WIDGET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Parses and validates one widget request (a message body or a bucket
 * object). Every failure names the field and what was wrong with it, so the
 * reason can be logged and attached to the request when it is set aside.
 */
export function parseWidgetRequest(text: string): ParsedWidgetRequest {
  if (text.trim() === "") return rejected("the request is empty");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return rejected(`the request is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) return rejected("the request must be a JSON object");
  try {
    return { ok: true, request: readRequest(json) };
  } catch (error) {
    if (error instanceof InvalidField) return rejected(error.message);
    throw error;
  }
}

function readRequest(json: Record<string, unknown>): WidgetRequest {
  const type = requiredString(json, "type");
  if (!WIDGET_REQUEST_TYPES.includes(type as WidgetRequestType)) {
    throw new InvalidField(`type must be one of create, update, delete; got ${quoted(type)}`);
  }
  const widgetId = requiredString(json, "widgetId");
  if (!WIDGET_ID_PATTERN.test(widgetId)) {
    throw new InvalidField(
      `widgetId must be 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit; got ${quoted(widgetId)}`,
    );
  }
  const owner = requiredString(json, "owner");
  if (!OWNER_PATTERN.test(owner)) {
    throw new InvalidField(`owner must be letters and spaces only; got ${quoted(owner)}`);
  }
  return {
    type: type as WidgetRequestType,
    requestId: requiredString(json, "requestId"),
    widgetId,
    owner,
    label: optionalString(json, "label"),
    description: optionalString(json, "description"),
    otherAttributes: optionalAttributes(json.otherAttributes),
  };
}

function requiredString(json: Record<string, unknown>, field: string): string {
  const value = json[field];
  if (value === undefined || value === null) throw new InvalidField(`${field} is missing`);
  if (typeof value !== "string") {
    throw new InvalidField(`${field} must be a string, got ${describe(value)}`);
  }
  if (value === "") throw new InvalidField(`${field} must not be empty`);
  return value;
}

function optionalString(json: Record<string, unknown>, field: string): string | null | undefined {
  const value = json[field];
  if (value === undefined || value === null || typeof value === "string") return value;
  throw new InvalidField(`${field} must be a string or null, got ${describe(value)}`);
}

function optionalAttributes(value: unknown): OtherAttribute[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) {
    throw new InvalidField(`otherAttributes must be an array, got ${describe(value)}`);
  }
  return value.map((item: unknown, index) => {
    const where = `otherAttributes[${index}]`;
    if (!isObject(item)) throw new InvalidField(`${where} must be an object {name, value}`);
    const { name, value: attributeValue } = item;
    if (typeof name !== "string" || name === "") {
      throw new InvalidField(`${where}.name must be a non-empty string, got ${describe(name)}`);
    }
    if (typeof attributeValue !== "string") {
      throw new InvalidField(`${where}.value must be a string, got ${describe(attributeValue)}`);
    }
    return { name, value: attributeValue };
  });
}

class InvalidField extends Error {}

function rejected(reason: string): ParsedWidgetRequest {
  return { ok: false, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return quoted(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
