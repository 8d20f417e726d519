import type { BrokerLogger } from "../broker-options.ts";
import type { IncomingMessage, ServerResponse } from "node:http";
import { splitRequestTarget } from "../../web/request-target.ts";
import { SqsError, errors } from "../engine/errors.ts";
import type { SqsErrorCode } from "../engine/errors.ts";
import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { BrokerStore } from "../engine/store.ts";
import { METRIC_MINUTES } from "../engine/queue-metrics.ts";
import type { BrowserGuard } from "../protocol/browser-guard.ts";
import { errorTable } from "../protocol/error-table.ts";
import { requestParts } from "../protocol/http-request-parts.ts";
import { ProtocolError } from "../protocol/protocol-error.ts";
import type { ProtocolErrorCode } from "../protocol/protocol-error.ts";
import { buildQueueUrl } from "../protocol/queue-url.ts";
import type { QueueUrlBase } from "../protocol/queue-url-base.ts";
import type { SigV4Verifier } from "../protocol/sigv4/sigv4-verifier.ts";
import { queueListEntry, queueMetricsBody } from "./metrics-json.ts";
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from "./prometheus-text.ts";
import { namesQueryAction } from "../protocol/query/query-params.ts";
import type { QueueListBody } from "../wire-types.ts";

/** Prometheus text of every queue's metrics. */
export const PROMETHEUS_PATH = "/metrics";
/** JSON: every queue with its counts, for the console's Queues page. */
export const QUEUES_PATH = "/_mailroom/queues";
/** JSON: `<prefix><queue name>?minutes=N`, one queue's last N minutes. */
export const QUEUE_METRICS_PREFIX = "/_mailroom/metrics/";

const DEFAULT_MINUTES = 60;
const EMPTY = Buffer.alloc(0);

export interface MetricsRoutesOptions {
  engine: SqsEngine;
  /**
   * Asked before each answer: once a commit failed, memory holds changes
   * the database does not (a queue whose CreateQueue was answered 503, sends
   * refused), so these routes answer 503 too, as the SQS API does.
   */
  store: Pick<BrokerStore, "whenCommitted">;
  /** Checks the SigV4 signature of every request (`--auth sigv4`); none: open. */
  verifier: SigV4Verifier | undefined;
  /** Turns away browsers sent by other web pages (a DNS-rebound page could read these). */
  browserGuard: BrowserGuard;
  /** Where each request's queue URLs point. */
  queueUrlBase: QueueUrlBase;
  /** Where an unexpected failure (answered 500) is logged, as the SQS API logs its own. */
  logger: BrokerLogger | undefined;
}

/** Answers the request and returns true when it is one of these routes; false leaves it untouched. */
export type MetricsRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The broker's read-only metrics over HTTP: `GET /metrics` (Prometheus text
 * format 0.0.4), `GET /_mailroom/queues` and `GET /_mailroom/metrics/<queue>`
 * (JSON, for the console). Only GETs of these paths without an `Action`
 * parameter are taken, so every SQS request (a Query GET has an `Action`)
 * goes on to the SQS protocols as before. With a verifier these need a valid
 * SigV4 signature like any SQS call: an `Authorization` header or a
 * presigned URL, for service `sqs`.
 */
export function createMetricsRoutes(options: MetricsRoutesOptions): MetricsRoutes {
  const { engine, verifier } = options;
  const accountId = engine.location.accountId;

  return function serveMetrics(req, res) {
    if (req.method !== "GET") return false;
    const { path, query } = splitRequestTarget(req.url ?? "/");
    const isRoute =
      path === PROMETHEUS_PATH || path === QUEUES_PATH || path.startsWith(QUEUE_METRICS_PREFIX);
    if (!isRoute || namesQueryAction(query)) return false;
    // A GET's body, if a client sent one, is not read (nor signed, for these routes).
    req.resume();
    options.store.whenCommitted((storeError) => {
      if (storeError === undefined) return answer(req, res, path, query);
      const message = `The broker could not store a request, and serves nothing until it is restarted: ${storeError.message}.`;
      sendJson(res, 503, errorBody("ServiceUnavailable", message));
    });
    return true;
  };

  function answer(req: IncomingMessage, res: ServerResponse, path: string, query: string): void {
    try {
      options.browserGuard(req.headers);
      verifier?.verify(requestParts(req, EMPTY));
      if (path === PROMETHEUS_PATH) {
        send(res, 200, PROMETHEUS_CONTENT_TYPE, prometheusText(engine.metricsNow()));
      } else if (path === QUEUES_PATH) {
        const base = options.queueUrlBase(req.headers.host);
        const queues = engine
          .queueSummaries()
          .map((summary) => queueListEntry(summary, buildQueueUrl(base, accountId, summary.name)));
        sendJson(res, 200, { queues } satisfies QueueListBody);
      } else {
        const name = decodeName(path.slice(QUEUE_METRICS_PREFIX.length));
        const minutes = minutesFrom(new URLSearchParams(query).get("minutes"));
        sendJson(res, 200, queueMetricsBody(name, engine.metricSeries(name, minutes)));
      }
    } catch (error) {
      if (!sendExpectedError(res, error)) {
        options.logger?.error(
          { err: error instanceof Error ? error.stack : String(error), path },
          "metrics request failed",
        );
        sendJson(
          res,
          500,
          errorBody("InternalFailure", "We encountered an internal error. Please try again."),
        );
      }
    }
  }
}

/** A queue name from the path; anything a queue name cannot be is a missing queue. */
function decodeName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw errors.queueDoesNotExist();
  }
}

class BadRequest extends Error {}

function minutesFrom(value: string | null): number {
  if (value === null) return DEFAULT_MINUTES;
  const minutes = /^[0-9]{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(minutes >= 1 && minutes <= METRIC_MINUTES)) {
    throw new BadRequest(
      `minutes must be a whole number from 1 to ${METRIC_MINUTES} (60, 180 or 1440 for 1, 3 or 24 hours), not "${value}".`,
    );
  }
  return minutes;
}

/**
 * Errors in the SQS JSON protocol's shape, `{"__type","message"}`, so a
 * client reads them as it reads any of the broker's JSON errors: a missing
 * queue is 404 (a path that names nothing), a bad parameter 400, and a
 * refused signature the status SQS gives it.
 */
function sendExpectedError(res: ServerResponse, error: unknown): boolean {
  if (error instanceof BadRequest) {
    sendJson(res, 400, errorBody("InvalidParameterValue", error.message));
  } else if (error instanceof SqsError && error.code === "QueueDoesNotExist") {
    sendJson(res, 404, errorBody(error.code, error.message));
  } else if (error instanceof SqsError || error instanceof ProtocolError) {
    sendJson(res, errorTable[error.code].status, errorBody(error.code, error.message));
  } else {
    return false;
  }
  return true;
}

function errorBody(
  code: SqsErrorCode | ProtocolErrorCode,
  message: string,
): { __type: string; message: string } {
  return { __type: errorTable[code].jsonType, message };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
  });
  res.end(body);
}
