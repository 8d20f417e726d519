import { createServer } from "node:http";
import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { foreignPageRefusal } from "../../web/foreign-page.ts";
import { isLoopbackHost } from "../../web/loopback.ts";
import { BodyTooLarge, ClientGone, httpService, readBody } from "../http/http-server.ts";
import type { HttpService } from "../http/http-server.ts";
import { jsonError } from "./todo-request.ts";
import type { TodoReply } from "./todo-request.ts";
import { createTodoRoutes } from "./todo-routes.ts";
import type { TodoRoutesOptions } from "./todo-routes.ts";

/** An item or a tick-off of a hundred items is a few KiB. */
const MAX_BODY_BYTES = 64 * 1024;

export const DEFAULT_TODO_HOST = "127.0.0.1";
export const DEFAULT_TODO_PORT = 8081;

export interface TodoServerOptions extends TodoRoutesOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8081; 0 picks a free port. */
  readonly port?: number;
  readonly logger: Logger;
}

/** The Todo web app over `node:http` (routes in `todo-routes.ts`). */
export function createTodoServer(options: TodoServerOptions): HttpService {
  const { logger } = options;
  const routes = createTodoRoutes(options);
  const host = options.host ?? DEFAULT_TODO_HOST;
  const browsers = { loopbackOnly: isLoopbackHost(host) };
  const server = createServer((request, response) => {
    // Another web page must not add, change or delete a user's items through the user's browser.
    const refusal = foreignPageRefusal(request.headers, browsers);
    if (refusal !== undefined) {
      request.resume();
      return send(
        response,
        jsonError(403, `The todo app does not serve this request: ${refusal}.`),
        false,
      );
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/(.)\/+$/, "$1");
    routes({
      method: request.method ?? "GET",
      path,
      query: url.searchParams,
      headers: request.headers,
      origin: `http://${request.headers.host ?? `${options.host ?? DEFAULT_TODO_HOST}`}`,
      readBody: () => readBody(request, MAX_BODY_BYTES, "a request body"),
    })
      .catch((error: unknown): TodoReply => {
        if (error instanceof BodyTooLarge)
          return jsonError(413, error.message, { Connection: "close" });
        if (error instanceof ClientGone) return jsonError(400, error.message);
        logger.error({ err: error, path }, "todo app failed");
        return jsonError(500, "the todo app failed; try again");
      })
      .then((reply) => send(response, reply, request.method === "HEAD"));
  });
  return httpService(server, host, options.port ?? DEFAULT_TODO_PORT);
}

function send(response: ServerResponse, reply: TodoReply, head: boolean): void {
  if (response.destroyed) return;
  const body = reply.body ?? "";
  response.writeHead(reply.status, {
    ...(reply.type === undefined ? {} : { "Content-Type": reply.type }),
    ...(reply.status === 304 ? {} : { "Content-Length": Buffer.byteLength(body) }),
    ...reply.headers,
  });
  response.end(head || reply.status === 304 ? undefined : body);
}
