import { randomInt } from "node:crypto";
import { stoppedExitCode } from "../../apps/app-error.ts";
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { MAX_SEED } from "../../apps/producer/seeded-random.ts";
import { widgetsMatch } from "../../widgets/compare-widgets.ts";
import { CliError } from "../cli-error.ts";
import { checkPortsDiffer, portFlag, wholeNumberFlag } from "../parse-flags.ts";
import { describeExit } from "../process-exit.ts";
import { pipelineReport } from "../pipeline/pipeline-report.ts";
import { prepareRunFolder } from "../pipeline/run-folder.ts";
import { PipelineStoppedError } from "../pipeline/pipeline-stopped-error.ts";
import { runPipeline } from "../pipeline/run-pipeline.ts";
import type { KeptUpBroker, PipelineProgress } from "../pipeline/run-pipeline.ts";
import { createProgressDisplay } from "../progress-display.ts";
import type { ProgressDisplay } from "../progress-display.ts";
import { stopOnSignals, untilStopped } from "../stop-on-signals.ts";
import { counted, formatCount as n } from "../../apps/counted.ts";

interface PipelineFlags {
  requests: number;
  consumers: number;
  concurrency: number;
  invalid: number;
  seed?: number;
  fifo?: boolean;
  dataDir: string;
  inMemory?: boolean;
  port: number;
  keepUp?: boolean;
  consolePort?: number;
}

export const DEFAULT_PIPELINE_DIR = ".mailroom/pipeline";

/**
 * `mailroom pipeline` (what `npm start` runs): the whole widget system on one
 * machine with nothing to set up.
 */
export function pipelineCommand(): Command {
  return new Command("pipeline")
    .description(
      "run the widget system locally: broker, producer and consumers into a local folder, then report",
    )
    .addOption(
      new Option("--requests <n>", "widget requests to generate")
        .default(3000)
        .argParser(wholeNumberFlag("--requests", { min: 1, max: 10_000_000 })),
    )
    .addOption(
      new Option("--consumers <n>", "consumer processes")
        .default(4)
        .argParser(wholeNumberFlag("--consumers", { min: 1, max: 64 })),
    )
    .addOption(
      new Option("--concurrency <n>", "requests each consumer works on at once")
        .default(10)
        .argParser(wholeNumberFlag("--concurrency", { min: 1, max: 256 })),
    )
    .addOption(
      new Option("--invalid <n>", "invalid requests to mix in, to show them set aside (0-3)")
        .default(3)
        .argParser(wholeNumberFlag("--invalid", { max: 3 })),
    )
    .addOption(
      new Option("--seed <n>", "generator seed (default: random, printed)").argParser(
        wholeNumberFlag("--seed", { max: MAX_SEED }),
      ),
    )
    .addOption(
      new Option(
        "--fifo",
        "use a FIFO queue, one message group per widget: no out-of-order retries",
      ),
    )
    .addOption(
      new Option("--data-dir <dir>", "the run's folder (emptied first): broker data, widgets, logs")
        .default(DEFAULT_PIPELINE_DIR)
        .env("MAILROOM_PIPELINE_DIR"),
    )
    .addOption(new Option("--in-memory", "keep the broker's queues in memory instead of on disk"))
    .addOption(
      new Option("--port <port>", "broker port (0: any free port)")
        .default(0)
        .argParser(portFlag("--port")),
    )
    .addOption(
      new Option(
        "--keep-up",
        "serve the web console from the start and keep the broker and console up after the run, until Ctrl-C",
      ),
    )
    .addOption(
      new Option(
        "--console-port <port>",
        "web console port with --keep-up (default: any free port)",
      ).argParser(portFlag("--console-port")),
    )
    .action(async (flags: PipelineFlags) => runPipelineCommand(flags));
}

async function runPipelineCommand(flags: PipelineFlags): Promise<void> {
  if (flags.consolePort !== undefined && !flags.keepUp) {
    throw new CliError("--console-port is the console's port with --keep-up; add --keep-up", 2);
  }
  checkPortsDiffer(flags.port, flags.consolePort);
  const seed = flags.seed ?? randomInt(MAX_SEED);
  const folder = prepareRunFolder(resolve(flags.dataDir));
  try {
    await runInFolder(flags, seed);
  } finally {
    folder.release();
  }
}

async function runInFolder(flags: PipelineFlags, seed: number): Promise<void> {
  process.stdout.write(
    `Mailroom widget pipeline: ${counted(flags.requests, "request")}${flags.invalid > 0 ? ` plus ${flags.invalid} invalid` : ""}, ${counted(flags.consumers, "consumer")}, ${flags.fifo ? "FIFO" : "standard"} queue, seed ${seed}\n`,
  );
  let display: ProgressDisplay | undefined;
  const startedAt = performance.now();
  const onProgress = (progress: PipelineProgress) => {
    // Made at the first counts, which bring the total; the rate runs from the start.
    display ??= createProgressDisplay({ total: progress.total, unit: "requests", startedAt });
    const { consumers } = progress;
    display.update(
      Math.min(progress.handled, progress.total),
      `produced ${n(progress.produced)} | ${n(consumers.created)} C / ${n(consumers.updated)} U / ${n(consumers.deleted)} D | ${n(consumers.lateArrivals)} late`,
    );
  };
  const stop = stopOnSignals();
  const result = await runPipeline({
    requests: flags.requests,
    invalid: flags.invalid,
    consumers: flags.consumers,
    consumerConcurrency: flags.concurrency,
    seed,
    fifo: flags.fifo ?? false,
    dataDir: flags.dataDir,
    inMemory: flags.inMemory ?? false,
    port: flags.port,
    ...(flags.keepUp
      ? {
          keepUpConsolePort: flags.consolePort ?? 0,
          onConsoleUp: (consoleUrl: string) =>
            process.stdout.write(`Console on ${consoleUrl} (it stays up after the run)\n`),
        }
      : {}),
    onProgress,
    signal: stop.signal,
  })
    .catch((error: unknown) => {
      throw error instanceof PipelineStoppedError ? stoppedEarly(error, flags.dataDir) : error;
    })
    .finally(() => {
      stop.dispose();
      display?.stop();
    });
  process.stdout.write(pipelineReport(result));
  if (result.keptUp !== undefined) await keepUpUntilStopped(result.keptUp);
  if (!widgetsMatch(result.comparison)) {
    throw new CliError("the widgets do not match the produced requests (see above)");
  }
  const failed = result.consumerExits.findIndex((exit) => exit !== 0);
  if (failed !== -1) {
    const exit = result.consumerExits[failed]!;
    throw new CliError(`consumer ${failed + 1} ${describeExit(exit)}`);
  }
}

function stoppedEarly(stopped: PipelineStoppedError, dataDir: string): CliError {
  return new CliError(
    `stopped by ${stopped.signal} with ${n(stopped.handled)} of ${n(stopped.total)} requests handled, ` +
      `so the widgets were not checked; what was done is in ${dataDir}`,
    stoppedExitCode(stopped.signal),
  );
}

/** Waits for Ctrl-C (or SIGTERM), then stops the broker and its console. */
async function keepUpUntilStopped(broker: KeptUpBroker): Promise<void> {
  await untilStopped();
  await broker.close();
  process.stdout.write("Broker and console stopped\n");
}
