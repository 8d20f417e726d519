import type { RequestPosition } from "../../widgets/request-position.ts";
import type { AttributePlace, AttributeWrite } from "../../widgets/attribute-writes.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import { AppError } from "../app-error.ts";

/**
 * A widget's state (`widgets/widget-state.ts`) as the stores keep it beside
 * the widget: plain JSON, the same in a SQLite row, an S3 object and a
 * DynamoDB attribute, so a state can be read by hand and moved between them.
 */
export function widgetStateToJson(state: WidgetState): string {
  return JSON.stringify(state);
}

/**
 * Reads a state back. It is Mailroom's own data, so only its outline is
 * checked: enough that a damaged record stops with a message naming where it
 * is (`where`) instead of failing somewhere deep in the merge.
 */
export function widgetStateFromJson(text: string, where: string): WidgetState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!isState(json)) throw new AppError(`${where} does not hold a widget state Mailroom can read`);
  return withPlaceLists(json);
}

/**
 * States written before attribute writes kept a list of places held one
 * `place`: read it as a list of one.
 */
function withPlaceLists(state: WidgetState): WidgetState {
  if (!state.attributes.some((write) => "place" in write)) return state;
  return {
    ...state,
    attributes: state.attributes.map((write) => {
      if (!("place" in write)) return write;
      const { place, ...rest } = write as AttributeWrite & { place: AttributePlace };
      return rest.places === undefined ? { ...rest, places: [place] } : rest;
    }),
  };
}

function isState(value: unknown): value is WidgetState {
  if (typeof value !== "object" || value === null) return false;
  const { lifecycle, label, description, attributes, seen } = value as Record<string, unknown>;
  return (
    (lifecycle === undefined || isStamped(lifecycle)) &&
    (label === undefined || isStamped(label)) &&
    (description === undefined || isStamped(description)) &&
    Array.isArray(attributes) &&
    attributes.every((write) => isStamped(write) && typeof write.name === "string") &&
    Array.isArray(seen) &&
    seen.every(isPosition)
  );
}

function isStamped(value: unknown): value is { at: RequestPosition; name?: unknown } {
  return typeof value === "object" && value !== null && isPosition((value as { at?: unknown }).at);
}

function isPosition(value: unknown): value is RequestPosition {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === "number" &&
    typeof value[1] === "number" &&
    typeof value[2] === "number" &&
    typeof value[3] === "string"
  );
}
