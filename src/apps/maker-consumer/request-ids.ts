import { readSeedRequest } from "../maker/seed-request.ts";

/** The ids a response names, read from the request body as far as it can be read. */
export interface RequestIds {
  readonly requestId: string | null;
  readonly widgetId: string | null;
  /** The seed's `{"WidgetId": ...}`: answered in the seed's words, `{MessageId, WidgetId, Status}`. */
  readonly seed?: true;
}

/**
 * The ids of a request body, or why it is not a request at all (not JSON, not
 * an object) so it can be rejected without bothering the maker.
 */
export function readRequestIds(body: string): RequestIds & { readonly problem?: string } {
  if (body.trim() === "")
    return { requestId: null, widgetId: null, problem: "the request is empty" };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const problem = `the request is not valid JSON (${(error as Error).message})`;
    return { requestId: null, widgetId: null, problem };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { requestId: null, widgetId: null, problem: "the request must be a JSON object" };
  }
  const { requestId, widgetId, WidgetId } = json as Record<string, unknown>;
  if (readSeedRequest(json) !== undefined) {
    return {
      requestId: null,
      widgetId: typeof WidgetId === "string" ? WidgetId : null,
      seed: true,
    };
  }
  return {
    requestId: typeof requestId === "string" ? requestId : null,
    widgetId: typeof widgetId === "string" ? widgetId : null,
  };
}
