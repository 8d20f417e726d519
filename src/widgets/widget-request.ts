/** One `{name, value}` pair of a request's `otherAttributes`; both are strings. */
export interface OtherAttribute {
  readonly name: string;
  readonly value: string;
}

export type WidgetRequestType = "create" | "update" | "delete";

/**
 * A validated widget request (CS5260). Optional fields keep the difference
 * between absent (`undefined`), `null` and `""`: the update rules depend on it.
 */
export interface WidgetRequest {
  readonly type: WidgetRequestType;
  readonly requestId: string;
  readonly widgetId: string;
  readonly owner: string;
  readonly label?: string | null;
  readonly description?: string | null;
  readonly otherAttributes?: readonly OtherAttribute[] | null;
}

export const WIDGET_REQUEST_TYPES: readonly WidgetRequestType[] = ["create", "update", "delete"];
