import type { Logger } from "pino";
import type { HttpService } from "../http/http-server.ts";
import { createWebApp } from "../http/web-app.ts";
import { createMakerRoutes } from "./maker-routes.ts";
import type { MakerRoutesOptions } from "./maker-routes.ts";

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
  return createWebApp({
    name: "the widget maker",
    host: options.host ?? DEFAULT_MAKER_HOST,
    port: options.port ?? DEFAULT_MAKER_PORT,
    logger: options.logger,
    maxBodyBytes: MAX_BODY_BYTES,
    bodyName: "a widget request",
    routes: createMakerRoutes(options),
  });
}
