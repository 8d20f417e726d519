import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { foreignPageRefusal } from "../../web/foreign-page.ts";
import { isLoopbackHost } from "../../web/loopback.ts";
import { splitRequestTarget } from "../../web/request-target.ts";
import { BodyTooLarge, ClientGone, discardRest, httpService, readBody } from "./http-server.ts";
import type { HttpService } from "./http-server.ts";

/** One HTTP request as an app's routes see it. */
export interface WebRequest {
  readonly method: string;
  /** The path, still percent-encoded, without its query string or a trailing slash. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The base URL clients used (`http://host:port`), for absolute links. */
  readonly origin: string;
  /** The body as text; past the app's limit the request is answered 413 by the server. */
  readBody(): Promise<string>;
}

/** What to answer. `body` is sent as it is with `type`; a reply from {@link json} is JSON. */
export interface WebReply {
  readonly status: number;
  readonly type?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function json(status: number, value: unknown, headers?: Record<string, string>): WebReply {
  return {
    status,
    type: "application/json; charset=utf-8",
    body: `${JSON.stringify(value)}\n`,
    ...(headers === undefined ? {} : { headers }),
  };
}

export function jsonError(
  status: number,
  error: string,
  headers?: Record<string, string>,
): WebReply {
  return json(status, { error }, headers);
}

/** A path segment decoded, or undefined when its percent escapes are broken. */
export function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export interface WebAppOptions {
  /** The app as its errors name it: "the todo app", "the widget maker". */
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** What a body is, for the 413's message: "a widget request". */
  readonly bodyName: string;
  readonly routes: (request: WebRequest) => Promise<WebReply>;
}

/**
 * How much of an oversized body is read (and dropped) before its 413 is
 * sent and the connection closed: enough for the client to finish sending
 * a body a few times the limit, so it reads the 413 instead of a reset,
 * and bounded so a client sending on and on cannot keep the server reading.
 */
const LINGER = { maxBytes: 16 * 1024 * 1024, maxMs: 5_000 };

/**
 * A small JSON web app over `node:http`, as the widget maker and the todo
 * app are: another web page's requests refused (a browser must not be
 * made to act for its user), the request target split without throwing
 * (any bytes may arrive), an oversized body answered 413 with the
 * connection closed (before `100 Continue` when its length is declared), an unexpected failure logged and answered 500, and
 * HEAD answered wherever GET is.
 */
export function createWebApp(options: WebAppOptions): HttpService {
  const { name, logger, routes } = options;
  const browsers = { loopbackOnly: isLoopbackHost(options.host) };
  const server = createServer((request, response) => {
    serve(request, response);
  });
  // Node answers `Expect: 100-continue` by itself, whatever the declared
  // length; refused here, a body over the limit is never sent at all.
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => {
    if (Number(request.headers["content-length"]) > options.maxBodyBytes) {
      return send(response, tooLarge(), request.method === "HEAD");
    }
    response.writeContinue();
    serve(request, response);
  });
  const tooLarge = (): WebReply =>
    jsonError(413, `${options.bodyName} must be at most ${options.maxBodyBytes} bytes`, {
      Connection: "close",
    });
  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    const head = request.method === "HEAD";
    const refusal = foreignPageRefusal(request.headers, browsers);
    if (refusal !== undefined) {
      request.resume();
      return send(
        response,
        jsonError(403, `${name} does not serve this request: ${refusal}`),
        head,
      );
    }
    const target = splitRequestTarget(request.url ?? "/");
    const path = target.path.replace(/(.)\/+$/, "$1");
    routes({
      // HEAD is GET without the body (RFC 9110 9.3.2): the routes serve GET, send() drops the body.
      method: head ? "GET" : (request.method ?? "GET"),
      path,
      query: new URLSearchParams(target.query),
      headers: request.headers,
      origin: `http://${request.headers.host ?? options.host}`,
      readBody: () => readBody(request, options.maxBodyBytes, options.bodyName),
    })
      .catch(async (error: unknown): Promise<WebReply> => {
        if (error instanceof BodyTooLarge) {
          await discardRest(request, LINGER);
          return tooLarge();
        }
        if (error instanceof ClientGone) return jsonError(400, error.message);
        logger.error({ err: error, path }, `${name} failed`);
        return jsonError(500, `${name} failed; try again`);
      })
      .then((reply) => send(response, reply, head));
  };
  return httpService(server, options.host, options.port);
}

function send(response: ServerResponse, reply: WebReply, head: boolean): void {
  if (response.destroyed) return;
  const body = reply.body ?? "";
  const allow = reply.headers?.Allow;
  response.writeHead(reply.status, {
    ...(reply.type === undefined ? {} : { "Content-Type": reply.type }),
    ...(reply.status === 304 ? {} : { "Content-Length": Buffer.byteLength(body) }),
    ...reply.headers,
    ...(allow === undefined ? {} : { Allow: withHead(allow) }),
  });
  response.end(head || reply.status === 304 ? undefined : body);
}

/** A 405's `Allow` as the routes say it ("GET, POST"), with HEAD wherever GET is. */
function withHead(allow: string): string {
  const methods = allow.split(/,\s*/);
  if (!methods.includes("GET") || methods.includes("HEAD")) return allow;
  methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  return methods.join(", ");
}
