/**
 * The widget pipeline against the bare AWS SDK, with N processes each (issue
 * 11). For each N, the same requests are queued twice on a fresh durable
 * broker (its own process) and drained:
 *
 * - by N bare SDK drainers (`bare-sdk-drainer.ts`): receive 10 and delete
 *   the batch, no widget work; the most any consumer written on the SDK can
 *   reach with that many processes on this machine;
 * - by N `mailroom consumer` processes into one local folder store, exactly
 *   as users run them.
 *
 * Both rates are taken between the first and the last message processed
 * (`processingRate`), so process start-up is not counted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trackDir } from "../cleanup.ts";
import { counted } from "../../src/cli/counted.ts";
import { messagesLeft } from "../../src/cli/pipeline/queue-activity.ts";
import { waitForQuiet } from "../quiet.ts";
import { formatCount } from "../report/format.ts";
import { processingInLog } from "./consumer-log.ts";
import { DrainerProcess, drainAndStop } from "./drainer-process.ts";
import { startLoadedBroker } from "./loaded-broker.ts";
import type { LoadedBroker } from "./loaded-broker.ts";
import { parseProcessedLines, processingRate } from "./processing-rate.ts";
import type { Processed } from "./processing-rate.ts";

/** The process counts of issue 11. */
export const PIPELINE_PROCESS_COUNTS: readonly number[] = [1, 2, 4];

const MAILROOM_BIN = fileURLToPath(new URL("../../bin/mailroom.js", import.meta.url));
const BARE_SDK_DRAINER = fileURLToPath(new URL("./bare-sdk-drainer.ts", import.meta.url));
/**
 * Long-poll wait of every receive, consumers' and drainers' alike. Short, so
 * that at the end a process sees the queue empty and answers SIGTERM within
 * a second; while messages are queued a receive returns at once anyway.
 */
const WAIT_SECONDS = 1;

/** One side's drain of the queue by its processes. */
export interface ProcessDrain {
  /** Messages (widget requests, for the pipeline) per second between the first and the last one. */
  readonly perSecond: number;
  /** Highest VmHWM (peak resident memory) of any of the processes, MiB. */
  readonly peakRssMiB: number;
  /** Messages on the queue when the processes started. */
  readonly queueDepth: number;
}

/** A side's drain, or why there is none. */
export type SideResult = ProcessDrain | { readonly error: string };

/** Both sides with the same number of processes. */
export interface PipelineRun {
  readonly processes: number;
  readonly bareSdk: SideResult;
  readonly pipeline: SideResult;
}

export interface PipelineResults {
  /** Requests queued for each drain. */
  readonly requests: number;
  readonly runs: PipelineRun[];
}

type Log = (line: string) => void;

/** What a side does with a loaded broker and its own folder: start its processes, drain, say how fast. */
type Drain = (broker: LoadedBroker, work: string) => Promise<Omit<ProcessDrain, "queueDepth">>;

/** Every count of PIPELINE_PROCESS_COUNTS, bare SDK then pipeline; a failed side does not stop the rest. */
export async function benchPipeline(
  requests: number,
  quietWaitMs: number,
  progress: Log,
): Promise<PipelineResults> {
  // Every drain's folders are kept until the end: on a file system without a
  // journal (this machine's ext4), creating files right after deleting tens of
  // thousands costs up to 1 ms each for about a minute (the kernel skips
  // recently freed inodes one by one), so one run's clean-up would slow the next.
  const work = mkdtempSync(join(tmpdir(), "mailroom-bench-pipeline-"));
  const untrack = trackDir(work);
  const side = async (
    name: string,
    unit: string,
    folder: string,
    drain: Drain,
  ): Promise<SideResult> => {
    const log: Log = (line) => progress(`pipeline, ${name}: ${line}`);
    log(`draining ${formatCount(requests)} requests...`);
    try {
      const result = await drainOnFreshBroker(
        join(work, folder),
        requests,
        quietWaitMs,
        log,
        drain,
      );
      log(
        `${formatCount(result.perSecond)} ${unit}/s, peak RSS ${formatCount(result.peakRssMiB)} MiB`,
      );
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${message.split("\n")[0]}`);
      return { error: message };
    }
  };
  try {
    const runs: PipelineRun[] = [];
    for (const n of PIPELINE_PROCESS_COUNTS) {
      runs.push({
        processes: n,
        bareSdk: await side(
          counted(n, "bare SDK process", "bare SDK processes"),
          "msg",
          `bare-${n}`,
          (broker) => drainWithBareSdk(broker, n),
        ),
        pipeline: await side(counted(n, "consumer"), "widgets", `pipeline-${n}`, (broker, folder) =>
          drainWithConsumers(broker, n, folder),
        ),
      });
    }
    return { requests, runs };
  } finally {
    rmSync(work, { recursive: true, force: true });
    untrack();
  }
}

async function drainOnFreshBroker(
  work: string,
  requests: number,
  quietWaitMs: number,
  log: Log,
  drain: Drain,
): Promise<ProcessDrain> {
  const broker = await startLoadedBroker(join(work, "broker"), requests);
  try {
    const queueDepth = await messagesLeft(broker.sqs, broker.queueUrl);
    // Loading is over and nothing of ours runs: whatever is busy now is someone else.
    await waitForQuiet(quietWaitMs, log);
    return { ...(await drain(broker, work)), queueDepth };
  } finally {
    await broker.close();
  }
}

async function drainWithBareSdk(broker: LoadedBroker, processes: number) {
  const drainers = Array.from(
    { length: processes },
    () =>
      new DrainerProcess([
        "--import",
        "tsx",
        BARE_SDK_DRAINER,
        broker.endpointUrl,
        broker.queueUrl,
        String(WAIT_SECONDS),
      ]),
  );
  const peakRssMiB = await drainAndStop(drainers, broker.sqs, broker.queueUrl);
  const events = drainers.flatMap((drainer) => parseProcessedLines(drainer.stdout));
  return { perSecond: rateOf(events, "no batch deleted"), peakRssMiB };
}

async function drainWithConsumers(broker: LoadedBroker, processes: number, work: string) {
  const logFile = (index: number): string => join(work, `consumer-${index}.log`);
  const consumers = Array.from(
    { length: processes },
    (_, index) =>
      new DrainerProcess([
        MAILROOM_BIN,
        "consumer",
        "--request-queue",
        broker.queueUrl,
        "--endpoint-url",
        broker.endpointUrl,
        "--widget-dir",
        join(work, "widgets"),
        "--queue-wait-timeout",
        String(WAIT_SECONDS),
        "--log-file",
        logFile(index),
      ]),
  );
  const peakRssMiB = await drainAndStop(consumers, broker.sqs, broker.queueUrl);
  // Read after the consumers exited: pino writes a log file in chunks and flushes on exit.
  const events = consumers.flatMap((_, index) => processingInLog(logFile(index)));
  return { perSecond: rateOf(events, 'no "Processing" line in the consumer logs'), peakRssMiB };
}

/** A side that reports nothing has not been measured; 0 would read as a (failed) measurement. */
function rateOf(events: readonly Processed[], nothing: string): number {
  if (events.length < 2) throw new Error(`${nothing}: nothing to take a rate from`);
  return processingRate(events);
}
