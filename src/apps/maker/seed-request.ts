import { quoted, shortened } from "../../widgets/quoted.ts";
import type { WidgetRequest } from "../../widgets/widget-request.ts";

/**
 * The seed's widget request ("AWS SQS Test Widgets"): `{"WidgetId": "<id>"}`,
 * made by its widget_producer.py. The seed's maker takes a UUID as a valid
 * widget id and answers any other with 403 (its README's
 * `--widget-id=this_is_not_a_valid_widget_id`).
 */
export type SeedRequest =
  | { readonly kind: "valid"; readonly widgetId: string }
  | { readonly kind: "invalid"; readonly reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The seed's request in `json`, or undefined when `json` is not one (a CS5260 request has a `type`). */
export function readSeedRequest(json: unknown): SeedRequest | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const fields = json as Record<string, unknown>;
  if (!Object.hasOwn(fields, "WidgetId") || Object.hasOwn(fields, "type")) return undefined;
  const widgetId = fields.WidgetId;
  if (typeof widgetId === "string" && UUID.test(widgetId)) return { kind: "valid", widgetId };
  return { kind: "invalid", reason: `invalid widget id ${shown(widgetId)}: not a UUID` };
}

/** The id as the reason shows it, cut short as `quoted` does: a bad id can be any size. */
function shown(widgetId: unknown): string {
  if (typeof widgetId === "string") return quoted(widgetId);
  return shortened(JSON.stringify(widgetId));
}

/**
 * The create request a seed request amounts to: a widget with that id and
 * nothing else. Its request id is the widget id, so a repeat of the seed's
 * message (SQS delivers at least once) is recognised as one.
 */
export function seedCreateRequest(widgetId: string): WidgetRequest {
  return { type: "create", requestId: widgetId, widgetId, owner: "" };
}
