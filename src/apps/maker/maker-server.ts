import { createServer } from "node:http";
import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { foreignPageRefusal } from "../../web/foreign-page.ts";
import { splitRequestTarget } from "../../web/request-target.ts";
import { isLoopbackHost } from "../../web/loopback.ts";
import { BodyTooLarge, ClientGone, httpService, readBody } from "../http/http-server.ts";
import type { HttpService } from "../http/http-server.ts";
import { createMakerRoutes } from "./maker-routes.ts";
import type { MakerReply, MakerRoutesOptions } from "./maker-routes.ts";

/** Widget requests are a few KiB; anything far larger is a mistake, not a widget. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface MakerServerOptions extends MakerRoutesOptions {
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; default 8080, 0 picks a free one. */
  readonly port?: number;
  readonly logger: Logger;
}

/** The widget maker as a library: `listen()` to serve, `close()` to stop. */
export type MakerServer = HttpService;

export const DEFAULT_MAKER_HOST = "127.0.0.1";
export const DEFAULT_MAKER_PORT = 8080;

/** Creates the widget maker web service over `node:http` (see `createMakerRoutes` for the API). */
export function createMakerServer(options: MakerServerOptions): MakerServer {
  const { logger } = options;
  const routes = createMakerRoutes(options);
  const host = options.host ?? DEFAULT_MAKER_HOST;
  const browsers = { loopbackOnly: isLoopbackHost(host) };
  const server = createServer((request, response) => {
    // Another web page must not make widgets through a user's browser.
    const refusal = foreignPageRefusal(request.headers, browsers);
    if (refusal !== undefined) {
      request.resume();
      return send(response, {
        status: 403,
        body: { error: `the widget maker does not serve this request: ${refusal}` },
      });
    }
    const path = splitRequestTarget(request.url ?? "/").path.replace(/(.)\/+$/, "$1");
    routes({
      method: request.method ?? "GET",
      path,
      readBody: () => readBody(request, MAX_BODY_BYTES, "a widget request"),
    })
      .catch((error: unknown): MakerReply => {
        if (error instanceof BodyTooLarge) {
          return { status: 413, body: { error: error.message }, headers: { Connection: "close" } };
        }
        if (error instanceof ClientGone) return { status: 400, body: { error: error.message } };
        logger.error({ err: error, path }, "widget maker failed");
        return { status: 500, body: { error: "the widget maker failed; try again" } };
      })
      .then((reply) => send(response, reply));
  });
  return httpService(server, host, options.port ?? DEFAULT_MAKER_PORT);
}

function send(response: ServerResponse, reply: MakerReply): void {
  if (response.destroyed) return;
  const body = `${JSON.stringify(reply.body)}\n`;
  response.writeHead(reply.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...reply.headers,
  });
  response.end(body);
}
