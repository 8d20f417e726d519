import type { IncomingMessage, ServerResponse } from "node:http";
import { splitRequestTarget } from "../../web/request-target.ts";
import type { BrokerStore } from "../engine/store.ts";
import { namesQueryAction } from "./query/query-params.ts";

/** Where health checks ask, as fauxqs and most local emulators have it. */
export const HEALTH_PATH = "/health";

/**
 * `GET` or `HEAD /health`, for container health checks and scripts that
 * wait for the broker to come up. It needs no signature, even with
 * `--auth sigv4`, since a health checker has no keys, and so it tells
 * nothing but that the broker is up: 200 `{"status":"ok"}` once every write
 * issued so far is committed, or 503 with the reason when that commit
 * failed (a full disk, a database gone read-only). The broker listens only
 * after its queues are provisioned, so a 200 also means they exist.
 *
 * @returns false, touching nothing, when `req` is not a health check.
 */
export function answerHealthCheck(
  req: IncomingMessage,
  res: ServerResponse,
  store: Pick<BrokerStore, "whenCommitted">,
): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const { path, query } = splitRequestTarget(req.url ?? "/");
  if (path !== HEALTH_PATH) return false;
  // A Query GET (it has an Action) is an SQS call, whatever its path.
  if (namesQueryAction(query)) return false;
  req.resume();
  store.whenCommitted((error) => {
    const status = error === undefined ? 200 : 503;
    const body = JSON.stringify(
      error === undefined
        ? { status: "ok" }
        : { status: "unavailable", reason: `the store could not commit: ${error.message}` },
    );
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return true;
}
