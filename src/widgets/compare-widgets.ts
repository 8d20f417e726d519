import type { Widget } from "./widget.ts";

/** How a store's widgets differ from the widgets expected. */
export interface WidgetComparison {
  readonly matching: number;
  /** Expected but absent. */
  readonly missing: readonly string[];
  /** Present but not expected (created and never deleted, or deleted too early...). */
  readonly unexpected: readonly string[];
  /** Present and expected, with other contents. */
  readonly different: readonly string[];
}

/**
 * Compares widgets by id and content, the order of other-attributes
 * included: the consumer promises the order applying the requests in order
 * gives, whatever order they arrive in.
 */
export function compareWidgets(
  expected: ReadonlyMap<string, Widget>,
  actual: Iterable<Widget>,
): WidgetComparison {
  const seen = new Set<string>();
  const unexpected: string[] = [];
  const different: string[] = [];
  for (const widget of actual) {
    seen.add(widget.id);
    const wanted = expected.get(widget.id);
    if (!wanted) unexpected.push(widget.id);
    else if (canonical(wanted, "ordered") !== canonical(widget, "ordered"))
      different.push(widget.id);
  }
  const missing = [...expected.keys()].filter((id) => !seen.has(id));
  return {
    matching: seen.size - unexpected.length - different.length,
    missing,
    unexpected,
    different,
  };
}

export function widgetsMatch(comparison: WidgetComparison): boolean {
  return (
    comparison.missing.length === 0 &&
    comparison.unexpected.length === 0 &&
    comparison.different.length === 0
  );
}

/**
 * Whether two widgets are the same: equal fields and the same
 * other-attributes in any order (the course gives their order no meaning;
 * the maker takes a create listing them in another order for a repeat).
 */
export function sameWidget(a: Widget, b: Widget): boolean {
  return canonical(a, "any order") === canonical(b, "any order");
}

function canonical(widget: Widget, attributeOrder: "ordered" | "any order"): string {
  const attributes = widget.otherAttributes.map(({ name, value }) => JSON.stringify([name, value]));
  return JSON.stringify([
    widget.id,
    widget.owner,
    widget.label,
    widget.description,
    attributeOrder === "ordered" ? attributes : attributes.sort(),
  ]);
}
