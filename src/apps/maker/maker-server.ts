import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
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
export interface MakerServer {
  /** Starts serving; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<{ readonly url: string; readonly port: number }>;
  /** Stops accepting connections and resolves once the requests in progress are answered. */
  close(): Promise<void>;
}

export const DEFAULT_MAKER_HOST = "127.0.0.1";
export const DEFAULT_MAKER_PORT = 8080;

/** Creates the widget maker web service over `node:http` (see `createMakerRoutes` for the API). */
export function createMakerServer(options: MakerServerOptions): MakerServer {
  const { logger } = options;
  const routes = createMakerRoutes(options);
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!.replace(/(.)\/+$/, "$1");
    routes({ method: request.method ?? "GET", path, readBody: () => readBody(request) })
      .catch((error: unknown): MakerReply => {
        if (error instanceof BodyTooLarge) {
          return { status: 413, body: { error: error.message }, headers: { Connection: "close" } };
        }
        logger.error({ err: error, path }, "widget maker failed");
        return { status: 500, body: { error: "the widget maker failed; try again" } };
      })
      .then((reply) => send(response, reply));
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(
          options.port ?? DEFAULT_MAKER_PORT,
          options.host ?? DEFAULT_MAKER_HOST,
          () => {
            server.off("error", reject);
            const { address, port } = server.address() as AddressInfo;
            const host = address.includes(":") ? `[${address}]` : address;
            resolve({ url: `http://${host}:${port}`, port });
          },
        );
      }),
    close: () =>
      new Promise((resolve, reject) => {
        // close() waits for requests in progress; idle keep-alive sockets must not hold it open.
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function send(response: ServerResponse, reply: MakerReply): void {
  const body = `${JSON.stringify(reply.body)}\n`;
  response.writeHead(reply.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...reply.headers,
  });
  response.end(body);
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners("data");
        request.resume();
        reject(new BodyTooLarge(`a widget request must be at most ${MAX_BODY_BYTES} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}
