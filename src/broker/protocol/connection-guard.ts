import { readFileSync } from "node:fs";
import type { Server, ServerResponse } from "node:http";
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

/**
 * What Node leaves to us: a connection that never sends a byte is held
 * forever (Node's timeouts start at a request's first byte), and
 * `server.maxConnections` refuses newcomers even when the connections it
 * keeps are idle. So every connection starts with an idle timer, cleared by
 * its first request, and at the cap the longest-idle connection is closed to
 * make room; only when every connection is busy is a new one refused. A
 * request marks its connection busy until its response is done.
 */
export function guardConnections(server: Server, limits: HttpLimits): void {
  /** Open connections, oldest first: when each became idle, or BUSY. */
  const open = new Map<Socket, number>();
  const BUSY = -1;

  server.on("connection", (socket: Socket) => {
    if (open.size >= limits.maxConnections && !closeLongestIdle(open, BUSY)) {
      socket.destroy();
      return;
    }
    open.set(socket, Date.now());
    // Node destroys a socket whose timeout fires when no request is on it.
    socket.setTimeout(limits.idleTimeoutMs);
    socket.once("close", () => open.delete(socket));
  });

  server.on("request", (req, res: ServerResponse) => {
    const socket = req.socket;
    if (open.get(socket) === undefined) return;
    if (socket.timeout === limits.idleTimeoutMs) socket.setTimeout(0);
    open.set(socket, BUSY);
    res.once("close", () => {
      if (open.has(socket)) open.set(socket, Date.now());
    });
  });
}

function closeLongestIdle(open: Map<Socket, number>, busy: number): boolean {
  let oldest: Socket | undefined;
  let since = Infinity;
  for (const [socket, idleSince] of open) {
    if (idleSince !== busy && idleSince < since) {
      oldest = socket;
      since = idleSince;
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
