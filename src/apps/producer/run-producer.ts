import type { Logger } from "pino";
import type { Widget } from "../../widgets/widget.ts";
import { pause } from "../pause.ts";
import { createRequestGenerator } from "./request-generator.ts";
import type { GeneratedRequest, RequestCounts } from "./request-generator.ts";
import type { RequestSink } from "./request-sink.ts";

export interface ProducerOptions {
  /** How many requests to produce (the course's `--max-widget-requests`, default there 1000). */
  readonly count: number;
  /**
   * Pause between requests, in ms (the course's `--inter-request-delay`,
   * default there 100). At 0 requests go 10 at a time (SendMessageBatch).
   */
  readonly interRequestDelayMs: number;
  /** Unsigned 32-bit seed of the generator: the same seed gives the same requests. */
  readonly seed: number;
  /** Every request goes to each of these, in order. */
  readonly sinks: readonly RequestSink[];
  /** Stops producing; the batch in flight is finished first, so nothing sent is left out of the summary. */
  readonly signal?: AbortSignal;
  /** Structured logs; `Generate a Create request` etc. at debug level. Default: none. */
  readonly logger?: Logger;
  /** Clock for the request keys; default `Date.now`. */
  readonly now?: () => number;
}

export interface ProducerProgress {
  readonly produced: number;
  readonly total: number;
  readonly byType: RequestCounts;
  readonly elapsedMs: number;
}

export interface ProducerEvents {
  /** After each request (or batch of 10 at full speed) is stored in every sink. */
  onProgress?(progress: ProducerProgress): void;
}

export interface ProducerSummary {
  readonly produced: number;
  readonly byType: RequestCounts;
  readonly elapsedMs: number;
  readonly seed: number;
  /** The widgets a correct consumer ends with after processing every produced request. */
  readonly expected: Map<string, Widget>;
  /** Keys of the first and last requests; `undefined` when none was produced. */
  readonly firstKey: string | undefined;
  readonly lastKey: string | undefined;
  /** Whether `signal` stopped the run before `count` requests. */
  readonly stopped: boolean;
}

/** What was stored before a sink failed: a summary but for the widgets, which the generator has moved past. */
export type FailedProducerSummary = Omit<ProducerSummary, "expected" | "stopped">;

/**
 * A sink failed (a broker gone, a queue deleted) after `summary.produced`
 * requests were stored in every sink; the failing step's requests may be in
 * some of them. `cause` is the sink's error, for the command to report.
 */
export class ProducerFailedError extends Error {
  override readonly name = "ProducerFailedError";

  constructor(
    readonly summary: FailedProducerSummary,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Requests per step at full speed: SendMessageBatch's limit. */
const FULL_SPEED_BATCH = 10;

const LOG_MESSAGES = {
  create: "Generate a Create request",
  update: "Generate an Update request",
  delete: "Generate a Delete request",
} as const;

/**
 * Produces `count` widget requests into every sink, pausing
 * `interRequestDelayMs` between them, and returns what was produced together
 * with the widgets that should result. Rejects with a `ProducerFailedError`
 * holding the first sink error and what was stored before it.
 */
export async function runProducer(
  options: ProducerOptions,
  events: ProducerEvents = {},
): Promise<ProducerSummary> {
  const generator = createRequestGenerator({
    seed: options.seed,
    ...(options.now ? { now: options.now } : {}),
    keysAfter: Math.max(0, ...options.sinks.map((sink) => sink.latestKey ?? 0)),
  });
  const { count, interRequestDelayMs: delay, signal, logger } = options;
  const step = delay === 0 ? FULL_SPEED_BATCH : 1;
  const started = performance.now();
  let produced = 0;
  let firstKey: string | undefined;
  let lastKey: string | undefined;

  while (produced < count && !signal?.aborted) {
    const countsBefore = generator.counts();
    const batch: GeneratedRequest[] = [];
    while (batch.length < step && produced + batch.length < count) {
      const generated = generator.next();
      logger?.debug(
        {
          key: generated.key,
          requestId: generated.request.requestId,
          widgetId: generated.request.widgetId,
          owner: generated.request.owner,
          revision: generated.revision,
        },
        LOG_MESSAGES[generated.request.type],
      );
      batch.push(generated);
    }
    try {
      await Promise.all(options.sinks.map((sink) => sink.send(batch)));
    } catch (error) {
      const elapsedMs = performance.now() - started;
      const stored = { produced, byType: countsBefore, elapsedMs, seed: options.seed };
      throw new ProducerFailedError({ ...stored, firstKey, lastKey }, error);
    }
    produced += batch.length;
    firstKey ??= batch[0]!.key;
    lastKey = batch.at(-1)!.key;
    events.onProgress?.({
      produced,
      total: count,
      byType: generator.counts(),
      elapsedMs: performance.now() - started,
    });
    if (delay > 0 && produced < count) await pause(delay, signal);
  }

  return {
    produced,
    byType: generator.counts(),
    elapsedMs: performance.now() - started,
    seed: options.seed,
    expected: generator.expectedWidgets(),
    firstKey,
    lastKey,
    stopped: produced < count,
  };
}
