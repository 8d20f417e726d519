import type { Logger } from "pino";
import type { HttpService } from "../http/http-server.ts";
import { createWebApp } from "../http/web-app.ts";
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
  return createWebApp({
    name: "the todo app",
    host: options.host ?? DEFAULT_TODO_HOST,
    port: options.port ?? DEFAULT_TODO_PORT,
    logger: options.logger,
    maxBodyBytes: MAX_BODY_BYTES,
    bodyName: "a request body",
    routes: createTodoRoutes(options),
  });
}
