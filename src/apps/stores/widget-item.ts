import type { Widget } from "../../widgets/widget.ts";
import type { OtherAttribute } from "../../widgets/widget-request.ts";

/** The widget's state as JSON (`widgets/widget-state.ts`), and its version for conditional writes. */
export const STATE_ITEM_ATTRIBUTE = "widget_state";
export const VERSION_ITEM_ATTRIBUTE = "state_version";
/** ISO 8601 time of the last write: the sort key of HW1's owner index. */
export const LAST_MODIFIED_ITEM_ATTRIBUTE = "last_modified_on";
/** List of the other-attributes' names, in the widget's order. */
export const OTHER_NAMES_ITEM_ATTRIBUTE = "other_attribute_names";

/** Prepended to an other-attribute's name when the bare name is taken. */
export const ESCAPE_PREFIX = "attribute_";

/** Top-level item attributes that are not other-attributes. */
const RESERVED = new Set([
  STATE_ITEM_ATTRIBUTE,
  VERSION_ITEM_ATTRIBUTE,
  "id",
  "owner",
  "label",
  "description",
  LAST_MODIFIED_ITEM_ATTRIBUTE,
  OTHER_NAMES_ITEM_ATTRIBUTE,
]);

/** A DynamoDB item as lib-dynamodb hands it over. */
export type WidgetItem = Record<string, unknown>;

/**
 * The item attribute holding an other-attribute: its own name (`color`), or,
 * when that is reserved or starts with `attribute_`, the name behind
 * `attribute_` (`attribute_owner`, `attribute_attribute_x`). So no two
 * other-attributes share an item attribute and none hides a reserved one.
 * `__proto__` is escaped too: the SDK's (un)marshalling assigns attributes to
 * plain objects, where that name would set the prototype and vanish.
 */
export function itemAttributeName(name: string): string {
  return RESERVED.has(name) || name.startsWith(ESCAPE_PREFIX) || name === "__proto__"
    ? `${ESCAPE_PREFIX}${name}`
    : name;
}

/**
 * A widget as the course's table holds it: every property top-level (`id`,
 * `owner`, `label`, `description`, one attribute per other-attribute), plus
 * Mailroom's bookkeeping: `last_modified_on`, and
 * `other_attribute_names` (so a read gets back exactly the widget's
 * attributes, in order). A `null` label or description is left out rather
 * than stored as NULL, which is what readers of the course's table expect;
 * `other_attribute_names` is left out when there are none.
 */
export function widgetToItem(widget: Widget, modifiedAt: Date): WidgetItem {
  const item: WidgetItem = { id: widget.id, owner: widget.owner };
  if (widget.label !== null) item.label = widget.label;
  if (widget.description !== null) item.description = widget.description;
  for (const { name, value } of widget.otherAttributes) item[itemAttributeName(name)] = value;
  if (widget.otherAttributes.length > 0) {
    item[OTHER_NAMES_ITEM_ATTRIBUTE] = widget.otherAttributes.map(({ name }) => name);
  }
  item[LAST_MODIFIED_ITEM_ATTRIBUTE] = modifiedAt.toISOString();
  return item;
}

/**
 * Reads a widget back; `undefined` when the item has no string `id` and
 * `owner`. An item without `other_attribute_names` (written by another
 * program, such as the course's own consumer) takes every other string
 * attribute as an other-attribute.
 */
export function widgetFromItem(item: WidgetItem): Widget | undefined {
  const { id, owner, label, description } = item;
  if (typeof id !== "string" || typeof owner !== "string") return undefined;
  return {
    id,
    owner,
    label: typeof label === "string" ? label : null,
    description: typeof description === "string" ? description : null,
    otherAttributes: otherAttributesOf(item),
  };
}

function otherAttributesOf(item: WidgetItem): OtherAttribute[] {
  const names = item[OTHER_NAMES_ITEM_ATTRIBUTE];
  if (Array.isArray(names)) {
    return names.flatMap((name: unknown) => {
      if (typeof name !== "string") return [];
      const value = item[itemAttributeName(name)];
      return typeof value === "string" ? [{ name, value }] : [];
    });
  }
  return Object.entries(item).flatMap(([attribute, value]) => {
    if (RESERVED.has(attribute) || typeof value !== "string") return [];
    // Undo the escape only where itemAttributeName would have made it.
    const stripped = attribute.slice(ESCAPE_PREFIX.length);
    const escaped =
      attribute.startsWith(ESCAPE_PREFIX) && itemAttributeName(stripped) === attribute;
    return [{ name: escaped ? stripped : attribute, value }];
  });
}
