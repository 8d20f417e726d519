import type { Logger } from "pino";
import { json, jsonError, safeDecode } from "../http/web-app.ts";
import type { WebReply, WebRequest } from "../http/web-app.ts";
import { parseWidgetRequest } from "../../widgets/parse-widget-request.ts";
import { madeWidgetJson, widgetLocation } from "./made-widget.ts";
import { readSeedRequest, seedCreateRequest } from "./seed-request.ts";
import type { WidgetRegistry } from "./widget-registry.ts";

export interface MakerRoutesOptions {
  readonly registry: WidgetRegistry;
  readonly logger: Logger;
  /**
   * Share of widget requests answered `503` without making anything, to show
   * the consumer's retries (chaos testing). Default 0.
   */
  readonly failRate?: number;
  /** Source of randomness for `failRate`; `Math.random` by default. */
  readonly random?: () => number;
}

/**
 * The widget maker's API:
 * - `POST /widgets` (or the seed's `POST /add`) with a CS5260 create request:
 *   `201` and `Location` for a new widget, `200` and the same `Location` for a
 *   repeat, `400` for an invalid request and `422` for a valid one that is not
 *   a create, `409` when the id is taken by something else; errors are `{error}`.
 *   The seed's `{"WidgetId": "<uuid>"}` makes a widget of that id alone, and
 *   any other id is `403`, as the seed's maker answers.
 * - `GET /widgets/<id>` (or the seed's `/widget/<id>`): the widget or `404`.
 * - `GET /widgets`: every widget; `GET /health`: liveness and the widget count.
 */
export function createMakerRoutes(
  options: MakerRoutesOptions,
): (request: WebRequest) => Promise<WebReply> {
  const { registry, logger } = options;
  const failRate = options.failRate ?? 0;
  const random = options.random ?? Math.random;

  async function makeWidget(request: WebRequest): Promise<WebReply> {
    const text = await request.readBody();
    if (failRate > 0 && random() < failRate) {
      logger.warn("failing a widget request on purpose (--fail-rate)");
      return jsonError(503, "the maker failed on purpose (--fail-rate)");
    }
    const seed = readSeedRequest(jsonOrUndefined(text));
    if (seed?.kind === "invalid") {
      logger.info({ reason: seed.reason }, `invalid seed widget request: ${seed.reason}`);
      return jsonError(403, seed.reason);
    }
    const parsed =
      seed === undefined
        ? parseWidgetRequest(text)
        : ({ ok: true, request: seedCreateRequest(seed.widgetId) } as const);
    if (!parsed.ok) {
      logger.info({ reason: parsed.reason }, `invalid widget request: ${parsed.reason}`);
      return jsonError(400, parsed.reason);
    }
    const widgetRequest = parsed.request;
    const ids = { requestId: widgetRequest.requestId, widgetId: widgetRequest.widgetId };
    if (widgetRequest.type !== "create") {
      const reason = `the widget maker only makes widgets from create requests, not ${widgetRequest.type} requests`;
      logger.info({ ...ids, reason }, `widget ${ids.widgetId}: ${reason}`);
      return jsonError(422, reason);
    }
    const result = await registry.make(widgetRequest);
    if (result.kind === "conflict") {
      logger.info(
        { ...ids, reason: result.reason },
        `conflicting request for widget ${ids.widgetId}: ${result.reason}`,
      );
      return jsonError(409, result.reason);
    }
    const location = widgetLocation(result.made.widget.id);
    logger.info(
      { ...ids, location },
      result.kind === "created"
        ? `made widget ${ids.widgetId}`
        : `repeat request ${ids.requestId} for widget ${ids.widgetId}`,
    );
    return json(result.kind === "created" ? 201 : 200, madeWidgetJson(result.made), {
      Location: location,
    });
  }

  return async (request) => {
    const { method, path } = request;
    if (path === "/health") {
      return method === "GET"
        ? json(200, { status: "ok", widgets: registry.size })
        : notAllowed("GET");
    }
    if (path === "/widgets" || path === "/add") {
      if (method === "POST") return makeWidget(request);
      if (method === "GET" && path === "/widgets") {
        const widgets = registry.list().map(madeWidgetJson);
        return json(200, { count: widgets.length, widgets });
      }
      return notAllowed(path === "/widgets" ? "GET, POST" : "POST");
    }
    const byId = /^\/widgets?\/([^/]+)$/.exec(path);
    if (byId) {
      if (method !== "GET") return notAllowed("GET");
      const widgetId = safeDecode(byId[1]!);
      const made = widgetId === undefined ? undefined : registry.get(widgetId);
      return made
        ? json(200, madeWidgetJson(made))
        : jsonError(404, `no widget ${widgetId ?? byId[1]}`);
    }
    return jsonError(404, `no such route: ${method} ${path}`);
  };
}

function notAllowed(allow: string): WebReply {
  return jsonError(405, `method not allowed; use ${allow}`, { Allow: allow });
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
