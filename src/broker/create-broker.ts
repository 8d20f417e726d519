import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { settleAuth } from "./auth-policy.ts";
import { isLoopbackHost } from "../web/loopback.ts";
import type { Broker, BrokerAddress, BrokerOptions } from "./broker-options.ts";
import { loadConsoleAssets } from "./console/console-assets.ts";
import { createConsoleHandler } from "./console/console-handler.ts";
import { systemClock } from "./engine/clock.ts";
import { SqsEngine } from "./engine/sqs-engine.ts";
import type { BrokerStore } from "./engine/store.ts";
import {
  defaultMaxConnections,
  guardConnections,
  serverTimeouts,
} from "./protocol/connection-guard.ts";
import { resolveHttpLimits } from "./protocol/http-limits.ts";
import { createMetricsRoutes } from "./console/metrics-routes.ts";
import { createBrowserGuard } from "./protocol/browser-guard.ts";
import { createRequestHandler, declaresTooLargeBody } from "./protocol/http-server.ts";
import type { RequestHandlerOptions } from "./protocol/http-server.ts";
import { parseQueueUrlBase, queueUrlBase } from "./protocol/queue-url-base.ts";
import { SigV4Verifier } from "./protocol/sigv4/sigv4-verifier.ts";
import { provisionQueues } from "./provisioning/provision-queues.ts";
import { MemoryStore } from "./storage/memory-store.ts";
import { asDataDirError } from "./storage/data-dir-error.ts";
import { SqliteStore } from "./storage/sqlite-store.ts";
import { DEFAULT_LOCATION } from "./engine/queue-arn.ts";

export {
  DEFAULT_PAYLOAD_CACHE_BYTES,
  DEFAULT_RECEIVE_WRITE_DELAY_MS,
} from "./storage/sqlite-store.ts";

export const DEFAULT_PORT = 9324;
export const DEFAULT_CONSOLE_PORT = 9325;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_DATA_DIR = ".mailroom";
export const DATABASE_FILE = "mailroom.db";

/**
 * Builds an SQS-compatible broker: the store (SQLite in `dataDir`, or memory),
 * the engine loaded from it, the declared queues, and an HTTP server that is
 * not listening yet. Synchronous, so a test or the CLI gets errors (a locked
 * database, a bad provisioning file) before anything is served.
 */
export function createBroker(options: BrokerOptions = {}): Broker {
  const host = options.host ?? DEFAULT_HOST;
  // Checked before the store and the queues are made: a refused limit leaves nothing behind.
  const limits = resolveHttpLimits(options.http ?? {}, defaultMaxConnections);
  const auth = settleAuth(host, options.accountId ?? DEFAULT_LOCATION.accountId, options.auth);
  const fixedUrlBase =
    options.queueUrlBase === undefined ? undefined : parseQueueUrlBase(options.queueUrlBase);
  const store: BrokerStore = options.inMemory
    ? new MemoryStore()
    : new SqliteStore({
        file: join(options.dataDir ?? DEFAULT_DATA_DIR, DATABASE_FILE),
        fsync: options.fsync ?? false,
        payloadCacheBytes: options.payloadCacheBytes,
        receiveWriteDelayMs: options.receiveWriteDelayMs,
        onCheckpointerFailure: (error) =>
          options.logger?.warn(
            { err: error.message },
            `checkpoint thread failed (${error.message}); checkpoints run in the broker's commits`,
          ),
        onUnreadablePayload: (seq, error) =>
          options.logger?.error(
            { seq, err: error.message },
            `a message's body cannot be read from the database (${error.message}); the message is set aside until a restart`,
          ),
      });
  const engine = loadEngine(store, options);
  if (options.provisioning) {
    const created = provisionQueues(engine, options.provisioning);
    if (created.length > 0) {
      // Named in the message too: the text log format shows the message alone.
      const shown =
        created.length <= 10 ? created.join(", ") : `${created.slice(0, 10).join(", ")}...`;
      options.logger?.info(
        { queues: created },
        `${created.length} ${created.length === 1 ? "queue" : "queues"} provisioned: ${shown}`,
      );
    }
  }

  let address: BrokerAddress | undefined;
  const ownPort = (): number => address?.port ?? options.port ?? DEFAULT_PORT;
  const handlerOptions: RequestHandlerOptions = {
    engine,
    store,
    logger: options.logger,
    // Signatures are checked against the wall clock, whatever clock the queues run on.
    verifier:
      auth.mode === "sigv4"
        ? new SigV4Verifier({ credentials: auth.credentials, now: Date.now })
        : undefined,
    browserGuard: createBrowserGuard({
      loopbackOnly: isLoopbackHost(host),
      allowedHost: fixedUrlBase === undefined ? undefined : new URL(fixedUrlBase).hostname,
    }),
    queueUrlBase: queueUrlBase(
      fixedUrlBase,
      () => `${host}:${ownPort()}`,
      (hostHeader) => {
        const port = ownPort();
        if (port === 80) return;
        options.logger?.warn(
          { host: hostHeader, port },
          `a client sent "Host: ${hostHeader}" without a port, so the queue URLs it is given say port 80; ` +
            `if it reached this broker on port ${port} directly, start the broker with ` +
            `--queue-url-base http://${hostHeader}:${port} (the queueUrlBase option)`,
        );
      },
    ),
  };
  // Read-only metrics (GET /metrics, /_mailroom/...) are answered before the SQS API.
  const metricsRoutes = createMetricsRoutes(handlerOptions);
  const sqsRequests = createRequestHandler(handlerOptions);
  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!metricsRoutes(req, res)) sqsRequests(req, res);
  };
  const server = createServer(serverTimeouts(limits), handleRequest);
  guardConnections(server, limits);
  continueOnlyWhenAccepted(server);
  // The console's port serves its files and hands every other request to the same handler.
  const consoleServer =
    options.consolePort === undefined
      ? undefined
      : createServer(
          serverTimeouts(limits),
          createConsoleHandler(loadConsoleAssets(), handleRequest),
        );
  if (consoleServer) {
    guardConnections(consoleServer, limits);
    continueOnlyWhenAccepted(consoleServer);
  }
  const servers = consoleServer ? [server, consoleServer] : [server];

  return {
    async listen() {
      const bound = await listenOn(server, options.port ?? DEFAULT_PORT, host);
      address = { host: bound.host, port: bound.port, endpoint: bound.url };
      if (consoleServer) {
        const consoleBound = await listenOn(consoleServer, options.consolePort ?? 0, host).catch(
          (error: unknown) => {
            server.close();
            throw error;
          },
        );
        address.consoleUrl = `${consoleBound.url}/`;
      }
      options.logger?.info(
        {
          endpoint: address.endpoint,
          ...(address.consoleUrl ? { console: address.consoleUrl } : {}),
        },
        `listening on ${address.endpoint}${address.consoleUrl ? `, console on ${address.consoleUrl}` : ""}`,
      );
      return address;
    },
    close() {
      engine.close();
      return new Promise((resolve) => {
        let open = servers.length;
        for (const each of servers) {
          each.close(() => {
            if (--open > 0) return;
            store.close();
            resolve();
          });
          each.closeIdleConnections();
          // Long polls were just answered; give their responses a moment to flush.
          setTimeout(() => each.closeAllConnections(), 100).unref();
        }
      });
    },
  };
}

/**
 * The engine, loaded from the store. A database that opened but cannot be
 * read through (a damaged page) is the data directory's problem, said in
 * one line like the errors of opening it, and the store is let go.
 */
function loadEngine(store: BrokerStore, options: BrokerOptions): SqsEngine {
  try {
    return new SqsEngine({
      store,
      clock: options.clock ?? systemClock,
      ids: options.ids,
      location: { region: options.region, accountId: options.accountId },
      relaxedTiming: options.relaxedTiming ?? false,
      maxInFlight: options.maxInFlight,
      bestEffortOrder: !(options.strictOrder ?? false),
    });
  } catch (error) {
    try {
      store.close();
    } catch {
      // The load's error is the one to report.
    }
    throw asDataDirError(options.dataDir ?? DEFAULT_DATA_DIR, error);
  }
}

/**
 * `Expect: 100-continue`: Node says `100 Continue` to every such request
 * unless told otherwise; one declaring a body over the limit gets its 413
 * without being asked for the body first.
 */
function continueOnlyWhenAccepted(server: Server): void {
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!declaresTooLargeBody(req)) res.writeContinue();
    server.emit("request", req, res);
  });
}

/** What a client on this machine connects to for a server bound to every interface. */
const LOOPBACK_FOR_WILDCARD: Readonly<Record<string, string>> = {
  "0.0.0.0": "127.0.0.1",
  "::": "[::1]",
};

/** Whether a bound address (`BrokerAddress.host`) is every interface, `0.0.0.0` or `::`. */
export function isEveryInterface(address: string): boolean {
  return Object.hasOwn(LOOPBACK_FOR_WILDCARD, address);
}

/**
 * Listens and resolves with the bound address, as a URL too (IPv6 in
 * brackets). A server bound to every interface gets a loopback URL: nobody
 * can connect to 0.0.0.0, and a client on this machine can reach loopback.
 */
function listenOn(
  server: Server,
  port: number,
  host: string,
): Promise<{ host: string; port: number; url: string }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const bound = server.address() as AddressInfo;
      const shownHost =
        LOOPBACK_FOR_WILDCARD[bound.address] ??
        (bound.family === "IPv6" ? `[${bound.address}]` : bound.address);
      resolve({
        host: bound.address,
        port: bound.port,
        url: `http://${shownHost}:${bound.port}`,
      });
    });
  });
}
