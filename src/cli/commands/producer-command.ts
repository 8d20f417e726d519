import { randomInt } from "node:crypto";
import { stoppedExitCode } from "../../apps/app-error.ts";
import { resolve } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { Command, Option } from "commander";
import { createS3Client } from "../../apps/aws/s3-client.ts";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { openFolderRequestSink } from "../../apps/producer/folder-request-sink.ts";
import type { RequestCounts } from "../../apps/producer/request-generator.ts";
import type { RequestSink } from "../../apps/producer/request-sink.ts";
import { ProducerFailedError, runProducer } from "../../apps/producer/run-producer.ts";
import type { FailedProducerSummary, ProducerSummary } from "../../apps/producer/run-producer.ts";
import { openS3RequestSink } from "../../apps/producer/s3-request-sink.ts";
import { MAX_SEED } from "../../apps/producer/seeded-random.ts";
import { openSqsRequestSink } from "../../apps/producer/sqs-request-sink.ts";
import { addAwsOptions, connectionFrom } from "../aws-flags.ts";
import type { AwsFlags } from "../aws-flags.ts";
import { bucketFlag } from "../bucket-flag.ts";
import { CliError } from "../cli-error.ts";
import { withLegacyShortFlags } from "../legacy-short-flags.ts";
import { logFormatOption, logLevelOption } from "../log-flags.ts";
import { stopOnSignals } from "../stop-on-signals.ts";
import { createLogger } from "../logger.ts";
import type { LogFlags } from "../logger.ts";
import { durationFlag, wholeNumberFlag } from "../parse-flags.ts";
import { writeOutputFile } from "../output-file.ts";
import { checkWritableFile } from "../writable-file.ts";
import { createProgressDisplay } from "../progress-display.ts";
import { counted, formatCount } from "../../apps/counted.ts";

interface ProducerFlags extends AwsFlags, LogFlags {
  requestBucket?: string;
  requestQueue?: string;
  requestDir?: string;
  maxWidgetRequests: number;
  interRequestDelay: number;
  seed?: number;
  fifo?: boolean;
  expectedOut?: string;
  progress: boolean;
}

/** The instructor's producer's short options. */
const SHORT_FLAGS = {
  "-rb": "--request-bucket",
  "-rq": "--request-queue",
  "-mwr": "--max-widget-requests",
  "-ird": "--inter-request-delay",
} as const;

/**
 * `mailroom producer`: generates widget requests into a request bucket, a
 * queue and/or a local folder, like the CS5260 instructor's producer.
 */
export function producerCommand(): Command {
  const command = new Command("producer")
    .description(
      "generate widget create/update/delete requests into a request bucket, a queue and/or a folder",
    )
    .addOption(
      new Option(
        "--request-bucket <bucket>",
        "S3 bucket to put each request in (name or s3://name)",
      ).argParser(bucketFlag("--request-bucket")),
    )
    .addOption(
      new Option("--request-queue <queue>", "SQS queue (name or URL) to send each request to"),
    )
    .addOption(new Option("--request-dir <folder>", "local folder to write each request into"))
    .addOption(
      new Option("--max-widget-requests <n>", "how many requests to generate")
        .default(1000)
        .argParser(wholeNumberFlag("--max-widget-requests", { min: 1, max: 10_000_000 })),
    )
    .addOption(
      new Option(
        "--inter-request-delay <ms>",
        "pause between requests (0: full speed, batches of 10)",
      )
        .default(100)
        .argParser(durationFlag("--inter-request-delay", { unit: "ms", maxMs: 3_600_000 })),
    )
    .addOption(
      new Option(
        "--seed <n>",
        `generator seed, 0 to ${MAX_SEED} (default: random, printed at the end)`,
      ).argParser(wholeNumberFlag("--seed", { max: MAX_SEED })),
    )
    .addOption(
      new Option(
        "--fifo",
        "send FIFO parameters (group = widget id, dedup id = request id); automatic for a .fifo queue",
      ),
    )
    .addOption(
      new Option(
        "--expected-out <file>",
        "write the widgets a correct consumer ends with, as JSON",
      ),
    )
    .addOption(new Option("--no-progress", "no progress bar or progress lines"))
    .addOption(logLevelOption("info", "structured log level on stderr (debug logs every request)"))
    .addOption(logFormatOption());
  addAwsOptions(command);
  withLegacyShortFlags(command, SHORT_FLAGS);
  return command.action(async (flags: ProducerFlags) => runProducerCommand(flags));
}

async function runProducerCommand(flags: ProducerFlags): Promise<void> {
  if (!flags.requestBucket && !flags.requestQueue && !flags.requestDir) {
    throw new CliError(
      "give at least one of --request-bucket (-rb), --request-queue (-rq) or --request-dir",
      2,
    );
  }
  if (flags.fifo && !flags.requestQueue) {
    throw new CliError(
      "--fifo is for a queue (its message group and deduplication ids); add --request-queue (-rq) or leave out --fifo",
      2,
    );
  }
  if (flags.expectedOut) checkWritableFile(flags.expectedOut, "--expected-out", "replace-or-write");
  const logger = createLogger("mailroom-producer", flags);
  const connection = connectionFrom(flags);
  const clients: Array<SQSClient | S3Client> = [];
  let stoppedBy: string | undefined;
  const stop = stopOnSignals((signal) => (stoppedBy = signal));
  try {
    const sinks: RequestSink[] = [];
    if (flags.requestDir) sinks.push(await openFolderRequestSink({ dir: flags.requestDir }));
    if (flags.requestBucket) {
      const s3 = createS3Client(connection);
      clients.push(s3);
      sinks.push(await openS3RequestSink({ s3, bucket: flags.requestBucket }));
    }
    if (flags.requestQueue) {
      const sqs = createSqsClient(connection);
      clients.push(sqs);
      sinks.push(
        await openSqsRequestSink({
          sqs,
          queue: flags.requestQueue,
          ...(flags.fifo ? { fifo: true } : {}),
        }),
      );
    }

    const seed = flags.seed ?? randomInt(0, MAX_SEED + 1);
    const total = flags.maxWidgetRequests;
    process.stdout.write(
      `Producing ${counted(total, "widget request")} (seed ${seed}) into ${sinks.map((sink) => sink.location).join(", ")}\n`,
    );
    const keyed = Boolean(flags.requestBucket || flags.requestDir);
    const progress = flags.progress
      ? createProgressDisplay({ total, unit: "requests" })
      : undefined;
    let summary: ProducerSummary;
    try {
      summary = await runProducer(
        {
          count: total,
          interRequestDelayMs: flags.interRequestDelay,
          seed,
          sinks,
          signal: stop.signal,
          logger,
        },
        { onProgress: (state) => progress?.update(state.produced, shortCounts(state.byType)) },
      );
    } catch (error) {
      progress?.stop();
      if (!(error instanceof ProducerFailedError)) throw error;
      // As a stop does, say how far it got (and the seed); the cause follows as the one error line.
      const head = `Failed after ${formatCount(error.summary.produced)} of ${counted(total, "widget request")}`;
      process.stdout.write(summaryText(head, error.summary, sinks, { keyed }));
      throw error.cause;
    }
    progress?.stop();

    if (flags.expectedOut) await writeExpected(flags.expectedOut, summary);
    const head = summary.stopped
      ? `Stopped (${stoppedBy ?? "aborted"}) after ${formatCount(summary.produced)} of ${counted(total, "widget request")}`
      : `Produced ${counted(summary.produced, "widget request")}`;
    const expected = { widgets: summary.expected.size, file: flags.expectedOut };
    process.stdout.write(summaryText(head, summary, sinks, { keyed, expected }));
    // Stopped short of its count: a script's next step must not run as if it were done.
    if (stoppedBy !== undefined && summary.produced < total) {
      process.exitCode = stoppedExitCode(stoppedBy);
    }
    logger.info(
      { produced: summary.produced, byType: summary.byType, seed, elapsedMs: summary.elapsedMs },
      summary.stopped ? `producer stopped by ${stoppedBy ?? "request"}` : "producer finished",
    );
  } finally {
    stop.dispose();
    for (const client of clients) client.destroy();
  }
}

interface SummaryOptions {
  /** Whether a bucket or a folder was written, whose objects and files are named by the keys. */
  readonly keyed: boolean;
  /** The widgets to expect; left out when not known. */
  readonly expected?: { widgets: number; file: string | undefined };
}

/** The summary under `head` (`Produced 1,000 widget requests`). */
function summaryText(
  head: string,
  summary: FailedProducerSummary,
  sinks: readonly RequestSink[],
  { keyed, expected }: SummaryOptions,
): string {
  const { create, update, delete: deletes } = summary.byType;
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? RATE_FORMAT.format(summary.produced / seconds) : "-";
  // A small run takes milliseconds, which "0.0 s" would hide.
  const took =
    summary.elapsedMs < 1000 ? `${Math.round(summary.elapsedMs)} ms` : `${seconds.toFixed(1)} s`;
  const lines = [
    `${head}: ${counted(create, "create")}, ${counted(update, "update")}, ${counted(deletes, "delete")} in ${took} (${rate}/s)`,
    `  seed: ${summary.seed} (--seed ${summary.seed} generates the same requests again)`,
    `  into: ${sinks.map((sink) => sink.location).join(", ")}`,
  ];
  // Correct SQS behaviour, but a re-run that delivers nothing looks like a broken producer.
  if (sinks.some((sink) => sink.deduplicates)) {
    lines.push(
      "  note: a FIFO queue drops a request id it took in the last 5 minutes: the same --seed within 5 minutes adds nothing to it",
    );
  }
  // A queue's messages have no key to show.
  if (summary.firstKey && keyed) lines.push(`  keys: ${summary.firstKey} to ${summary.lastKey}`);
  if (expected) {
    lines.push(
      `  expected: ${counted(expected.widgets, "widget")} once every request is processed` +
        (expected.file ? ` (written to ${expected.file})` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}

const RATE_FORMAT = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

function shortCounts(byType: RequestCounts): string {
  return `${formatCount(byType.create)} C / ${formatCount(byType.update)} U / ${formatCount(byType.delete)} D`;
}

/** `{seed, produced, byType, widgets}`, widgets sorted by id; written whole (temp file + rename). */
async function writeExpected(file: string, summary: ProducerSummary): Promise<void> {
  const widgets = [...summary.expected.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const json = JSON.stringify(
    { seed: summary.seed, produced: summary.produced, byType: summary.byType, widgets },
    null,
    2,
  );
  try {
    await writeOutputFile(resolve(file), `${json}\n`);
  } catch (error) {
    throw new CliError(`cannot write --expected-out ${file}: ${(error as Error).message}`);
  }
}
