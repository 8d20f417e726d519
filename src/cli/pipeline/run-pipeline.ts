import { join, resolve } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_CREDENTIALS } from "../../apps/aws/aws-connection.ts";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { handledCount } from "../../apps/consumer/consumer-stats.ts";
import { pause } from "../../apps/pause.ts";
import type { ConsumerStats } from "../../apps/consumer/consumer-stats.ts";
import { openSqsRequestSink } from "../../apps/producer/sqs-request-sink.ts";
import { ProducerFailedError, runProducer } from "../../apps/producer/run-producer.ts";
import type { ProducerSummary } from "../../apps/producer/run-producer.ts";
import { LocalFolderStore } from "../../apps/stores/local-folder-store.ts";
import type { Widget } from "../../widgets/widget.ts";
import { compareWidgets } from "../../widgets/compare-widgets.ts";
import type { WidgetComparison } from "../../widgets/compare-widgets.ts";
import { createBroker } from "../../broker/create-broker.ts";
import { CliError } from "../cli-error.ts";
import { ConsumerProcesses } from "./consumer-processes.ts";
import { describeExit } from "../process-exit.ts";
import type { ProcessExit } from "../process-exit.ts";
import { PipelineStoppedError } from "./pipeline-stopped-error.ts";
import { INVALID_REQUESTS } from "./invalid-requests.ts";
import { messagesLeft, setAsideReasons } from "./queue-activity.ts";

export interface PipelineOptions {
  /** Valid requests the producer generates. */
  readonly requests: number;
  /** Bad requests mixed in (at most the three course-like samples). */
  readonly invalid: number;
  readonly consumers: number;
  /** Requests each consumer process works on at once. */
  readonly consumerConcurrency: number;
  readonly seed: number;
  /** A FIFO queue with one message group per widget instead of a standard queue. */
  readonly fifo: boolean;
  /** The run's own folder, new or emptied (prepareRunFolder): broker database, widgets, consumer logs. */
  readonly dataDir: string;
  /** Keep the broker's queues in memory instead of on disk. */
  readonly inMemory: boolean;
  readonly port: number;
  /**
   * Serve the web console on this port (0: any free one) from the start,
   * and keep the broker up after the run (the result's `keptUp` closes it).
   * Undefined: no console, and the broker stops with the run.
   */
  readonly keepUpConsolePort?: number;
  /** With `keepUpConsolePort`: told the console's address as soon as it is served, before the run. */
  readonly onConsoleUp?: (consoleUrl: string) => void;
  readonly onProgress?: (progress: PipelineProgress) => void;
  /**
   * Stops the run early (SIGINT, SIGTERM; the reason is the signal's name):
   * the producer stops, the consumers finish the requests they hold, the
   * broker closes, and the run rejects with PipelineStoppedError.
   */
  readonly signal?: AbortSignal;
}

/** The broker and its console, still serving after the run. */
export interface KeptUpBroker {
  readonly consoleUrl: string;
  close(): Promise<void>;
}

export interface PipelineProgress {
  readonly produced: number;
  /** Requests to process in all: valid plus invalid. */
  readonly total: number;
  /** Requests the consumers are done with (merged, duplicates, set aside). */
  readonly handled: number;
  readonly consumers: ConsumerStats;
}

export interface PipelineResult {
  readonly endpoint: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly producer: ProducerSummary;
  readonly invalidSent: number;
  readonly consumers: ConsumerStats;
  readonly consumerCount: number;
  readonly consumerExits: readonly ProcessExit[];
  readonly setAside: ReadonlyMap<string, number>;
  readonly comparison: WidgetComparison;
  readonly widgetCount: number;
  readonly widgetsDir: string;
  readonly runDir: string;
  readonly elapsedMs: number;
  /** With `keepUpConsolePort`: the broker, still up, and its console's address. */
  readonly keptUp?: KeptUpBroker;
}

/** Progress is polled this often. */
const POLL_MS = 200;
/** The run fails if nothing moves for this long (a consumer's longest retry delay is 60 s). */
const STALL_MS = 180_000;
/**
 * The request queue's redrive maxReceiveCount. The consumers set a request
 * the store keeps failing on aside at their own limit (8 receives) with its
 * reason; the redrive is a backstop above it.
 */
const REDRIVE_MAX_RECEIVES = 10;

/**
 * The main job on embedded defaults: an in-process broker with the request
 * queue and its dead-letter queue, the producer generating requests in this
 * process, and consumers as separate processes writing into a local folder,
 * until every request is handled. Then it checks the widgets against the
 * state the producer expects and reports.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const runDir = resolve(options.dataDir);
  // The run folder is the widget store's root: widgets land in <run>/widgets/<owner>/<id>.
  const storeRoot = runDir;
  const suffix = options.fifo ? ".fifo" : "";
  const queueName = `cs5260-requests${suffix}`;
  const deadLetterQueueName = `cs5260-requests-dlq${suffix}`;
  const fifoAttributes: Record<string, boolean> = options.fifo ? { FifoQueue: true } : {};

  const broker = createBroker({
    host: "127.0.0.1",
    port: options.port,
    ...(options.keepUpConsolePort === undefined ? {} : { consolePort: options.keepUpConsolePort }),
    dataDir: join(runDir, "broker"),
    inMemory: options.inMemory,
    provisioning: {
      queues: [
        { name: deadLetterQueueName, attributes: { ...fifoAttributes } },
        {
          name: queueName,
          attributes: { ...fifoAttributes, VisibilityTimeout: 30 },
          deadLetterQueue: { name: deadLetterQueueName, maxReceiveCount: REDRIVE_MAX_RECEIVES },
        },
      ],
    },
  });
  const { endpoint, consoleUrl } = await broker
    .listen()
    .catch((error: NodeJS.ErrnoException & { port?: number }) => {
      const flag = error.port === options.port ? "--port" : "--console-port";
      throw new CliError(
        error.code === "EADDRINUSE"
          ? `port ${error.port} is already in use; choose another ${flag} (0 picks a free one)`
          : `cannot start the broker: ${error.message}`,
      );
    });
  if (consoleUrl !== undefined) options.onConsoleUp?.(consoleUrl);
  let keptUp: KeptUpBroker | undefined;
  // Its own credentials: a shell's AWS_PROFILE (an expired SSO session, say) is not this run's.
  const sqs = createSqsClient({
    region: "us-east-1",
    endpointUrl: endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const consumers = new ConsumerProcesses({
    count: options.consumers,
    runDir: join(runDir, "consumers"),
    args: [
      "--request-queue",
      queueName,
      "--endpoint-url",
      endpoint,
      "--widget-dir",
      storeRoot,
      "--concurrency",
      String(options.consumerConcurrency),
      "--queue-wait-timeout",
      "2",
    ],
  });
  const started = performance.now();
  try {
    consumers.start();
    const queueUrl = await urlOf(sqs, queueName);
    const invalidSent = await sendInvalid(sqs, queueUrl, options.invalid, options.fifo);
    const total = options.requests + invalidSent;
    let produced = 0;
    const progress = () => {
      const totals = consumers.totals();
      options.onProgress?.({ produced, total, handled: handledCount(totals), consumers: totals });
      return totals;
    };
    const sink = await openSqsRequestSink({ sqs, queue: queueUrl });
    // Counted again once the consumers have finished what they hold (see the catch).
    const stopped = () => new PipelineStoppedError(String(options.signal?.reason), 0, total);
    // Progress while the requests are produced, too (waitUntilHandled polls it after).
    const reporter = setInterval(progress, POLL_MS);
    const producer = await runProducer(
      {
        count: options.requests,
        interRequestDelayMs: 0,
        seed: options.seed,
        sinks: [sink],
        ...(options.signal ? { signal: options.signal } : {}),
      },
      {
        onProgress: (step) => {
          produced = step.produced + invalidSent;
        },
      },
    )
      // The pipeline's report covers the whole run; the sink's error is what it says.
      .catch((error: unknown) => {
        throw error instanceof ProducerFailedError ? error.cause : error;
      })
      .finally(() => clearInterval(reporter));
    if (options.signal?.aborted) throw stopped();
    await waitUntilHandled(sqs, queueUrl, consumers, progress, options.signal);
    if (options.signal?.aborted) throw stopped();
    const consumerExits = await consumers.stop();
    const elapsedMs = performance.now() - started;
    const finalTotals = progress();
    const widgets = await collect(new LocalFolderStore(storeRoot).list());
    if (consoleUrl !== undefined) keptUp = { consoleUrl, close: () => broker.close() };
    return {
      endpoint,
      queueName,
      deadLetterQueueName,
      producer,
      invalidSent,
      consumers: finalTotals,
      consumerCount: options.consumers,
      consumerExits,
      setAside: await setAsideReasons(sqs, await urlOf(sqs, deadLetterQueueName)),
      comparison: compareWidgets(producer.expected, widgets),
      widgetCount: widgets.length,
      widgetsDir: join(storeRoot, "widgets"),
      runDir,
      elapsedMs,
      ...(keptUp === undefined ? {} : { keptUp }),
    };
  } catch (error) {
    // Stopped on request: the consumers finish what they hold. Failed: no waiting on them.
    keptUp = undefined;
    if (error instanceof PipelineStoppedError) {
      await consumers.stop();
      const handled = handledCount(consumers.totals());
      throw new PipelineStoppedError(error.signal, handled, error.total);
    }
    consumers.kill();
    throw error;
  } finally {
    sqs.destroy();
    if (keptUp === undefined) await broker.close();
  }
}

/** Waits until the queue holds nothing in any state, checking the consumers are alive and moving. */
async function waitUntilHandled(
  sqs: SQSClient,
  queueUrl: string,
  consumers: ConsumerProcesses,
  progress: () => ConsumerStats,
  signal: AbortSignal | undefined,
): Promise<void> {
  let lastHandled = -1;
  let lastMove = performance.now();
  while (!signal?.aborted) {
    const handled = handledCount(progress());
    const dead = consumers.exitedEarly();
    if (dead) {
      throw new CliError(
        `consumer ${dead.index + 1} ${describeExit(dead.exit)} unexpectedly:\n` +
          (dead.stderr.trim() || "(no output)"),
      );
    }
    if ((await messagesLeft(sqs, queueUrl)) === 0) return;
    if (handled !== lastHandled) {
      lastHandled = handled;
      lastMove = performance.now();
    } else if (performance.now() - lastMove > STALL_MS) {
      throw new CliError(`no request was handled for ${STALL_MS / 1000} s; see the consumer logs`);
    }
    await pause(POLL_MS, signal);
  }
}

async function sendInvalid(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  fifo: boolean,
): Promise<number> {
  const bodies = INVALID_REQUESTS.slice(0, count);
  for (const [index, body] of bodies.entries()) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        ...(fifo ? { MessageGroupId: "invalid", MessageDeduplicationId: `invalid-${index}` } : {}),
      }),
    );
  }
  return bodies.length;
}

async function urlOf(sqs: SQSClient, queueName: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  return QueueUrl!;
}

async function collect(widgets: AsyncIterable<Widget>): Promise<Widget[]> {
  const all: Widget[] = [];
  for await (const widget of widgets) all.push(widget);
  return all;
}
