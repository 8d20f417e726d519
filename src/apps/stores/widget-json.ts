import type { Widget } from "../../widgets/widget.ts";
import type { OtherAttribute } from "../../widgets/widget-request.ts";

/**
 * The widget as the course's buckets hold it: `{"id", "owner", "label",
 * "description", "otherAttributes": [{"name", "value"}]}`, in that order, with
 * `null` for a cleared label or description. Nothing of Mailroom's own
 * bookkeeping goes in here, so any reader of the course's widgets reads ours.
 */
export function widgetToJson(widget: Widget, indent?: number): string {
  const { id, owner, label, description, otherAttributes } = widget;
  const attributes = otherAttributes.map(({ name, value }) => ({ name, value }));
  return JSON.stringify(
    { id, owner, label, description, otherAttributes: attributes },
    null,
    indent,
  );
}

/**
 * Reads a stored widget back; `undefined` when the text is not one. Lenient
 * where other writers differ harmlessly (a missing label or attribute list),
 * strict where it matters (`id` and `owner` strings, attributes `{name, value}`).
 */
export function widgetFromJson(text: string): Widget | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const { id, owner, label, description, otherAttributes } = json;
  if (typeof id !== "string" || typeof owner !== "string") return undefined;
  const attributes = readAttributes(otherAttributes);
  if (attributes === undefined) return undefined;
  const storedLabel = optionalText(label);
  const storedDescription = optionalText(description);
  if (storedLabel === undefined || storedDescription === undefined) return undefined;
  return {
    id,
    owner,
    label: storedLabel,
    description: storedDescription,
    otherAttributes: attributes,
  };
}

/** `null` for absent or null, the string itself, or `undefined` for anything else (not a widget). */
function optionalText(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : undefined;
}

function readAttributes(value: unknown): OtherAttribute[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const attributes: OtherAttribute[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.name !== "string" || typeof item.value !== "string") {
      return undefined;
    }
    attributes.push({ name: item.name, value: item.value });
  }
  return attributes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
