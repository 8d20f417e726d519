import type { Widget } from "../../widgets/widget.ts";

/**
 * One widget the maker has made, as it keeps it: the widget itself plus when
 * it was made and by which request (the key of idempotent repeats).
 */
export interface MadeWidget {
  readonly widget: Widget;
  /** ISO 8601 time the maker first made it; a repeat never changes it. */
  readonly dateCreated: string;
  readonly requestId: string;
}

/**
 * The maker's wire shape: the seed's `{widget_id, date_created}` followed by
 * the widget's own fields, so a client needs no second call to see what was made.
 */
export interface MadeWidgetJson extends Widget {
  readonly widget_id: string;
  readonly date_created: string;
  readonly request_id: string;
}

export function madeWidgetJson(made: MadeWidget): MadeWidgetJson {
  return {
    widget_id: made.widget.id,
    date_created: made.dateCreated,
    request_id: made.requestId,
    ...made.widget,
  };
}

/** Where a widget can be fetched again (`GET`), relative to the maker's root. */
export function widgetLocation(widgetId: string): string {
  return `/widgets/${encodeURIComponent(widgetId)}`;
}
