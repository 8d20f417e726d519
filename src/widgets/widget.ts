import type { OtherAttribute, WidgetRequest } from "./widget-request.ts";

/**
 * A widget as the stores keep it. `label` and `description` are `null` when a
 * request cleared them (or never set them); `otherAttributes` keeps the order
 * in which names first appeared.
 */
export interface Widget {
  readonly id: string;
  readonly owner: string;
  readonly label: string | null;
  readonly description: string | null;
  readonly otherAttributes: readonly OtherAttribute[];
}

/** Create: a widget holding all the data of the request (an empty string counts as unset). */
export function widgetFromCreate(request: WidgetRequest): Widget {
  return {
    id: request.widgetId,
    owner: request.owner,
    label: request.label || null,
    description: request.description || null,
    otherAttributes: mergeAttributes([], request.otherAttributes ?? []),
  };
}

/**
 * Update (CS5260 HW2): every property the request mentions changes. Absent or
 * `null` leaves it as it is; `""` sets label/description to `null` and removes
 * an other-attribute. `id` and `owner` never change.
 */
export function applyUpdate(widget: Widget, request: WidgetRequest): Widget {
  return {
    id: widget.id,
    owner: widget.owner,
    label: updatedText(widget.label, request.label),
    description: updatedText(widget.description, request.description),
    otherAttributes: mergeAttributes(widget.otherAttributes, request.otherAttributes ?? []),
  };
}

function updatedText(current: string | null, requested: string | null | undefined): string | null {
  if (requested === undefined || requested === null) return current;
  return requested === "" ? null : requested;
}

function mergeAttributes(
  current: readonly OtherAttribute[],
  changes: readonly OtherAttribute[],
): OtherAttribute[] {
  const byName = new Map(current.map((attribute) => [attribute.name, attribute.value]));
  for (const { name, value } of changes) {
    if (value === "") byName.delete(name);
    else byName.set(name, value);
  }
  return [...byName].map(([name, value]) => ({ name, value }));
}
