import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { MAX_CONNECTIONS_CEILING } from "./http-limits.ts";
import type { HttpLimits } from "./http-limits.ts";

/** Node's server options for the limits Node enforces itself. */
export function serverTimeouts(limits: HttpLimits) {
  return {
    // Node answers 408 and closes when headers or the whole request are late.
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    // Between requests on a kept-alive connection.
    keepAliveTimeout: limits.idleTimeoutMs,
  };
}

/** One open connection, as the guard sees it. */
interface Connection {
  /** Responses begun and not yet done (several when a client pipelines). */
  readonly unanswered: Set<ServerResponse>;
  /** When the last of them was done (or the connection opened). */
  idleSince: number;
  /** Bad bytes came: the connection is refused once its due answers are out. */
  refusing: boolean;
}

/** Answers the longest pipelined requests can take before a bad one is refused: a long poll's 20 s, and some. */
const PIPELINED_ANSWERS_WAIT_MS = 25_000;

/**
 * What Node leaves to us: a connection that never sends a byte is, to
 * Node, a request whose headers are late, closed after the headers timeout
 * (when its check, every second at most, next runs) and answered 408; a
 * client that opened it ahead of need would read that 408 as the answer to
 * the request it sends next. So such a connection is closed without an
 * answer, and after the idle timeout when that is shorter: every connection
 * starts with an idle timer, cleared by its first request. And
 * `server.maxConnections` refuses newcomers even when the connections it
 * keeps are idle: at the cap the longest-idle connection is closed to make
 * room; only when every connection is busy is a new one refused. A
 * connection is busy while any of its responses is not done.
 *
 * And bytes that are not HTTP after pipelined requests: Node answers them
 * 400 and closes at once, dropping the answers still due to the requests
 * before them, whose actions ran. Those answers go out first (RFC 9112
 * section 9.3.2), so a client is not told a send failed that succeeded.
 */
export function guardConnections(server: Server, limits: HttpLimits): void {
  /** Open connections, oldest first. */
  const open = new Map<Socket, Connection>();

  server.on("connection", (socket: Socket) => {
    if (open.size >= limits.maxConnections && !closeLongestIdle(open)) {
      socket.destroy();
      return;
    }
    open.set(socket, { unanswered: new Set(), idleSince: Date.now(), refusing: false });
    // Node destroys a socket whose timeout fires when no request is on it.
    socket.setTimeout(limits.idleTimeoutMs);
    socket.once("close", () => open.delete(socket));
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const connection = open.get(req.socket);
    if (connection === undefined) return;
    if (req.socket.timeout === limits.idleTimeoutMs) req.socket.setTimeout(0);
    connection.unanswered.add(res);
    res.once("close", () => {
      connection.unanswered.delete(res);
      if (connection.unanswered.size === 0) connection.idleSince = Date.now();
    });
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    // Nothing was asked: there is nothing to answer.
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT" && socket.bytesRead === 0)
      return socket.destroy();
    const connection = open.get(socket);
    // Node's failed parser reports every later chunk too; the first decides.
    if (connection?.refusing) return;
    // Requests read whole are being answered; one still arriving never will be.
    const due = [...(connection?.unanswered ?? [])].filter((res) => res.req.complete);
    if (connection === undefined || due.length === 0) return refuseConnection(socket, error);
    connection.refusing = true;
    // Nothing more is read from a client that is refused.
    socket.pause();
    let left = due.length;
    // An answer still not out: a 400 now would be read as its answer, so only close.
    const timer = setTimeout(() => socket.destroy(), PIPELINED_ANSWERS_WAIT_MS);
    timer.unref();
    for (const res of due) {
      res.once("close", () => {
        if (--left > 0) return;
        clearTimeout(timer);
        refuseConnection(socket, error);
      });
    }
  });
}

/** What Node itself answers a connection whose bytes it cannot read, or that is too slow. */
function refuseConnection(socket: Socket, error: NodeJS.ErrnoException): void {
  if (socket.writable) socket.write(REFUSALS[error.code ?? ""] ?? REFUSALS.default);
  socket.destroy();
}

const REFUSALS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n",
  ERR_HTTP_REQUEST_TIMEOUT: "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n",
  default: "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
};

function closeLongestIdle(open: Map<Socket, Connection>): boolean {
  let oldest: Socket | undefined;
  let since = Infinity;
  for (const [socket, connection] of open) {
    if (connection.unanswered.size === 0 && connection.idleSince < since) {
      oldest = socket;
      since = connection.idleSince;
    }
  }
  if (oldest === undefined) return false;
  open.delete(oldest);
  oldest.destroy();
  return true;
}

/**
 * The default connection cap: the process's open-file limit less room for
 * the database and everything else, so the broker closes connections
 * itself rather than failing to accept (EMFILE) or to open its files.
 */
export function defaultMaxConnections(): number {
  return Math.max(64, Math.min(MAX_CONNECTIONS_CEILING, openFileLimit() - 128));
}

function openFileLimit(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (soft === "unlimited") return Infinity;
    if (soft !== undefined) return Number(soft);
  } catch {
    // Not Linux: assume the common default.
  }
  return 1024;
}
