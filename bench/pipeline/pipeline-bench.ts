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
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { counted } from "../../src/apps/counted.ts";
import { messagesLeft } from "../../src/cli/pipeline/queue-activity.ts";
import { trackDir } from "../cleanup.ts";
import type { BenchOptions } from "../options.ts";
import { measureQuietly } from "../quiet.ts";
import { formatCount, formatFixed } from "../report/format.ts";
import { bareSdkDrain, consumerDrain } from "./drain-sides.ts";
import type { Drain, SideDrain } from "./drain-sides.ts";
import { probeFileCreation } from "./file-creation-probe.ts";
import { startLoadedBroker } from "./loaded-broker.ts";

/** The process counts of issue 11. */
export const PIPELINE_PROCESS_COUNTS: readonly number[] = [1, 2, 4];

/** One side's drain of the queue by its processes. */
export interface ProcessDrain extends SideDrain {
  /** Messages on the queue when the processes started. */
  readonly queueDepth: number;
  /** Times drained: more than 1 when other work on the machine disturbed it (see quiet.ts). */
  readonly attempts: number;
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
  /** The folder the brokers and widget folders were made in. */
  readonly folder: string;
  /** Microseconds to create a file there before the drains ({@link probeFileCreation}). */
  readonly fileCreationMicros: number;
  readonly runs: PipelineRun[];
}

type Options = Pick<BenchOptions, "pipelineRequests" | "pipelineDir" | "quietWaitMs" | "retries">;
type Log = (line: string) => void;

/** Every count of PIPELINE_PROCESS_COUNTS, bare SDK then pipeline; a failed side does not stop the rest. */
export async function benchPipeline(options: Options, progress: Log): Promise<PipelineResults> {
  // Every drain's folders are kept until the end: on a file system without a
  // journal (this machine's ext4), creating files right after deleting tens of
  // thousands costs up to 1 ms each for about a minute (the kernel skips
  // recently freed inodes one by one), so one run's clean-up would slow the next.
  const parent = options.pipelineDir ?? defaultPipelineDir();
  const work = mkdtempSync(join(parent, "mailroom-bench-pipeline-"));
  const untrack = trackDir(work);
  try {
    const fileCreationMicros = probeFileCreation(work);
    progress(
      `pipeline: creating a file in ${parent} takes ${formatFixed(fileCreationMicros, 0)} µs`,
    );
    const runs: PipelineRun[] = [];
    for (const n of PIPELINE_PROCESS_COUNTS) {
      const side = (name: string, folder: string, unit: string, drain: Drain) => {
        const log: Log = (line) => progress(`pipeline, ${name}: ${line}`);
        return measureSide(options, join(work, folder), unit, log, drain);
      };
      runs.push({
        processes: n,
        bareSdk: await side(
          counted(n, "bare SDK process", "bare SDK processes"),
          `bare-sdk-${n}`,
          "msg",
          bareSdkDrain(n),
        ),
        pipeline: await side(counted(n, "consumer"), `consumers-${n}`, "widgets", consumerDrain(n)),
      });
    }
    return { requests: options.pipelineRequests, folder: parent, fileCreationMicros, runs };
  } finally {
    rmSync(work, { recursive: true, force: true });
    untrack();
  }
}

/**
 * A RAM-backed folder where the system has one (`/dev/shm` on Linux), else
 * the OS temp folder. The bench compares our CPU per request with the SDK's,
 * and on a disk that comparison would depend on what was deleted there in
 * the last minutes: on this VM's ext4, creating a file took 20 to 46 µs on a
 * quiet disk and 240 to 650 µs within minutes of `npm test`, which swung one
 * consumer's rate from 0.67x to 0.36x of the bare SDK's. A RAM disk creates
 * files as fast as a quiet local disk (15 to 25 µs). `--pipeline-dir`
 * measures a disk instead.
 */
function defaultPipelineDir(): string {
  const ramDisk = "/dev/shm";
  try {
    accessSync(ramDisk, constants.W_OK);
    return ramDisk;
  } catch {
    // None, or not writable here.
    return tmpdir();
  }
}

/**
 * A side drained as the scenarios are measured: after waiting for a quiet
 * machine, and again (on a freshly loaded broker) when other work took more
 * than a little CPU meanwhile.
 */
async function measureSide(
  options: Options,
  work: string,
  unit: string,
  log: Log,
  drain: Drain,
): Promise<SideResult> {
  log(`draining ${formatCount(options.pipelineRequests)} requests...`);
  let attempt = 0;
  try {
    const { measurement, attempts } = await measureQuietly(
      options.quietWaitMs,
      options.retries,
      log,
      async () => {
        attempt += 1;
        const folder = join(work, `attempt-${attempt}`);
        const drained = await drainOnFreshBroker(folder, options.pipelineRequests, drain);
        log(describeDrain(drained, unit));
        return drained;
      },
    );
    return { ...measurement, attempts };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${message.split("\n")[0]}`);
    return { error: message };
  }
}

async function drainOnFreshBroker(
  work: string,
  requests: number,
  drain: Drain,
): Promise<Omit<ProcessDrain, "attempts">> {
  const broker = await startLoadedBroker(join(work, "broker"), requests);
  try {
    const queueDepth = await messagesLeft(broker.sqs, broker.queueUrl);
    return { ...(await drain(broker, queueDepth, work)), queueDepth };
  } finally {
    await broker.close();
  }
}

function describeDrain(drained: SideDrain, unit: string): string {
  const cores = [drained.brokerCores, drained.processCores, drained.otherCores].map((c) =>
    formatFixed(c, 2),
  );
  return (
    `${formatCount(drained.perSecond)} ${unit}/s, peak RSS ${formatCount(drained.peakRssMiB)} MiB, ` +
    `broker ${cores[0]} / processes ${cores[1]} / other ${cores[2]} cores`
  );
}
