import { Command, Option } from "commander";
import { bucketFlag } from "../bucket-flag.ts";
import { MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS } from "../../apps/aws/sqs-limits.ts";
import { failedThroughout } from "../../apps/consumer/consumer-stats.ts";
import type { ConsumerStats } from "../../apps/consumer/consumer-stats.ts";
import { DEFAULT_RETRY_POLICY } from "../../apps/retry-policy.ts";
import { runConsumer } from "../../apps/consumer/run-consumer.ts";
import { openRequestSource } from "../../apps/sources/open-request-source.ts";
import type { RequestSourceOptions } from "../../apps/sources/open-request-source.ts";
import { checkWidgetStore } from "../../apps/stores/check-widget-store.ts";
import { openWidgetStore } from "../../apps/stores/open-widget-store.ts";
import type { WidgetStoreOptions } from "../../apps/stores/widget-store-options.ts";
import { DEFAULT_KEY_PREFIX } from "../../apps/stores/widget-key.ts";
import { addAwsOptions, connectionFrom } from "../aws-flags.ts";
import { emptyValueAllowed } from "../flag-values.ts";
import type { AwsFlags } from "../aws-flags.ts";
import { CliError } from "../cli-error.ts";
import { counted } from "../../apps/counted.ts";
import { withLegacyShortFlags } from "../legacy-short-flags.ts";
import { logFormatOption, logLevelOption } from "../log-flags.ts";
import { stopOnSignals } from "../stop-on-signals.ts";
import { createLogger } from "../logger.ts";
import type { LogFlags } from "../logger.ts";
import { replaceFileSync } from "../../apps/replace-file.ts";
import { durationFlag, wholeNumberFlag, wholeSecondsFlag } from "../parse-flags.ts";
import { checkWritableFile, realFile } from "../writable-file.ts";
import { formatConsumerStats } from "./format-consumer-stats.ts";
import { assertNoIgnoredFlags } from "./ignored-consumer-flags.ts";
import { assertWidgetsApartFromRequests } from "./widgets-apart-from-requests.ts";

interface ConsumerFlags extends AwsFlags, LogFlags {
  requestQueue?: string;
  requestBucket?: string;
  requestDir?: string;
  widgetBucket?: string;
  widgetKeyPrefix: string;
  useOwnerInPrefix: boolean;
  dynamodbWidgetTable?: string;
  widgetDir?: string;
  maxRuntime: number;
  queueWaitTimeout: number;
  queueVisibilityTimeout: number;
  concurrency: number;
  maxReceives: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  statsFile?: string;
}

/** The instructor's consumer's short options. */
const SHORT_FLAGS = {
  "-rb": "--request-bucket",
  "-rq": "--request-queue",
  "-wb": "--widget-bucket",
  "-wkp": "--widget-key-prefix",
  "-uop": "--use-owner-in-prefix",
  "-dwt": "--dynamodb-widget-table",
  "-mrt": "--max-runtime",
  "-qwt": "--queue-wait-timeout",
  "-qvt": "--queue-visibility-timeout",
} as const;

/** How often `--stats-file` is rewritten while running, ms. */
const STATS_INTERVAL_MS = 250;

/**
 * `mailroom consumer`: processes widget requests from a queue, a request
 * bucket or a folder into an S3 bucket, a DynamoDB table or a folder, like the
 * CS5260 instructor's consumer. Safe to run many at once.
 */
export function consumerCommand(): Command {
  const command = new Command("consumer")
    .description(
      "process widget requests from a queue, bucket or folder into S3, DynamoDB or a folder",
    )
    .addOption(new Option("--request-queue <queue>", "SQS queue (name or URL) to receive from"))
    .addOption(
      new Option("--request-bucket <bucket>", "S3 bucket to take requests from").argParser(
        bucketFlag("--request-bucket"),
      ),
    )
    .addOption(new Option("--request-dir <folder>", "local folder to take requests from"))
    .addOption(
      new Option("--widget-bucket <bucket>", "S3 bucket to keep widgets in").argParser(
        bucketFlag("--widget-bucket"),
      ),
    )
    .addOption(
      emptyValueAllowed(
        new Option(
          "--widget-key-prefix <prefix>",
          "key prefix of widgets in the bucket or folder",
        ).default(DEFAULT_KEY_PREFIX),
      ),
    )
    .addOption(
      new Option(
        "--use-owner-in-prefix",
        "put the owner in the key: widgets/mary-matthews/<id> (on by default; --no-use-owner-in-prefix: widgets/<id>)",
      ).default(true),
    )
    .addOption(new Option("--no-use-owner-in-prefix", "leave the owner out of widget keys"))
    .addOption(new Option("--dynamodb-widget-table <table>", "DynamoDB table to keep widgets in"))
    .addOption(new Option("--widget-dir <folder>", "local folder to keep widgets in"))
    .addOption(
      new Option("--max-runtime <ms>", "stop after this long (0: run until stopped; or 30s, 5m...)")
        .default(0)
        .argParser(durationFlag("--max-runtime", { unit: "ms" })),
    )
    .addOption(
      new Option("--queue-wait-timeout <s>", "long-poll wait of each receive")
        .default(10)
        .argParser(wholeSecondsFlag("--queue-wait-timeout", { max: MAX_WAIT_SECONDS })),
    )
    .addOption(
      new Option(
        "--queue-visibility-timeout <s>",
        "visibility timeout of received requests (for --request-dir: how long a claim lasts)",
      )
        .default(2)
        // Not 0: a request would be handed out again while it is processed, and one
        // set aside (hidden for 12 h on a queue without a dead-letter queue) could not be hidden.
        .argParser(
          wholeSecondsFlag("--queue-visibility-timeout", { min: 1, max: MAX_VISIBILITY_SECONDS }),
        ),
    )
    .addOption(
      new Option("--concurrency <n>", "requests processed at once (different widgets)")
        .default(10)
        .argParser(wholeNumberFlag("--concurrency", { min: 1, max: 256 })),
    )
    .addOption(
      new Option(
        "--max-receives <n>",
        "set a request aside once received this often while the store keeps failing on it",
      )
        .default(DEFAULT_RETRY_POLICY.maxReceives)
        .argParser(wholeNumberFlag("--max-receives", { min: 1, max: 1000 })),
    )
    .addOption(
      new Option(
        "--retry-base-seconds <s>",
        "first retry delay after a store failure; doubles each time",
      )
        .default(DEFAULT_RETRY_POLICY.baseDelaySeconds)
        .argParser(
          wholeSecondsFlag("--retry-base-seconds", { min: 1, max: MAX_VISIBILITY_SECONDS }),
        ),
    )
    .addOption(
      new Option("--retry-max-seconds <s>", "longest retry delay")
        .default(DEFAULT_RETRY_POLICY.maxDelaySeconds)
        .argParser(
          wholeSecondsFlag("--retry-max-seconds", { min: 1, max: MAX_VISIBILITY_SECONDS }),
        ),
    )
    .addOption(
      new Option("--log-file <file>", "write the JSON log lines to this file instead of stderr"),
    )
    .addOption(logLevelOption("info", "structured log level"))
    .addOption(logFormatOption())
    .addOption(
      new Option("--stats-file <file>", "keep this file updated with the running totals as JSON"),
    )
    .action(async (flags: ConsumerFlags, self: Command) =>
      runConsumerCommand(flags, (key) => self.getOptionValueSource(key) === "cli"),
    );
  return withLegacyShortFlags(addAwsOptions(command), SHORT_FLAGS);
}

async function runConsumerCommand(
  flags: ConsumerFlags,
  givenOnCommandLine: (key: string) => boolean,
): Promise<void> {
  const sourceOptions = chooseSource(flags);
  const storeOptions = chooseStore(flags);
  assertNoIgnoredFlags(sourceOptions, storeOptions, { ...flags }, givenOnCommandLine);
  assertWidgetsApartFromRequests(sourceOptions, storeOptions);
  if (flags.statsFile !== undefined) checkWritableFile(flags.statsFile, "--stats-file");
  const logger = createLogger("mailroom-consumer", flags);
  const connection = connectionFrom(flags);
  const store = await openWidgetStore(storeOptions, connection);
  try {
    await checkWidgetStore(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const source = await openRequestSource(sourceOptions, connection, logger);
  const stop = stopOnSignals((signal) =>
    logger.info({ signal }, "stopping: finishing the requests in hand"),
  );

  process.stdout.write(
    `Consumer ${process.pid}: ${source.description} -> ${store.kind} (${store.location})\n`,
  );
  const writeStats = statsWriter(flags.statsFile);
  const started = performance.now();
  try {
    const stats = await runConsumer({
      source,
      store,
      concurrency: flags.concurrency,
      retryPolicy: {
        baseDelaySeconds: flags.retryBaseSeconds,
        maxDelaySeconds: Math.max(flags.retryMaxSeconds, flags.retryBaseSeconds),
        maxReceives: flags.maxReceives,
      },
      maxRuntimeMs: flags.maxRuntime,
      signal: stop.signal,
      logger,
      onProgress: writeStats.update,
    });
    writeStats.flush(stats);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `Consumer ${process.pid} stopped after ${seconds.toFixed(1)} s: ${formatConsumerStats(stats)}\n`,
    );
    if (failedThroughout(stats)) {
      // Nothing got done and something failed: a script must not read this as success.
      // (A failure a later attempt got past, here or in another consumer, is not one.)
      const where = flags.logFile === undefined ? "the log on stderr" : flags.logFile;
      process.stderr.write(
        `mailroom: the consumer got no request done and ended with ${counted(stats.errors, "error")}; see ${where}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    stop.dispose();
    await store.close();
  }
}

function chooseSource(flags: ConsumerFlags): RequestSourceOptions {
  const given = [flags.requestQueue, flags.requestBucket, flags.requestDir].filter(
    (value) => value !== undefined,
  ).length;
  if (given !== 1) {
    throw new CliError(
      "give exactly one request source: --request-queue, --request-bucket or --request-dir",
      2,
    );
  }
  if (flags.requestQueue !== undefined) {
    return {
      kind: "queue",
      queue: flags.requestQueue,
      waitSeconds: flags.queueWaitTimeout,
      visibilitySeconds: flags.queueVisibilityTimeout,
    };
  }
  if (flags.requestBucket !== undefined) return { kind: "bucket", bucket: flags.requestBucket };
  return { kind: "folder", dir: flags.requestDir!, leaseSeconds: flags.queueVisibilityTimeout };
}

function chooseStore(flags: ConsumerFlags): WidgetStoreOptions {
  const given = [flags.widgetBucket, flags.dynamodbWidgetTable, flags.widgetDir].filter(
    (value) => value !== undefined,
  ).length;
  if (given !== 1) {
    throw new CliError(
      "give exactly one widget store: --widget-bucket, --dynamodb-widget-table or --widget-dir",
      2,
    );
  }
  const layout = { keyPrefix: flags.widgetKeyPrefix, ownerInKey: flags.useOwnerInPrefix };
  if (flags.widgetBucket !== undefined)
    return { kind: "s3", bucket: flags.widgetBucket, ...layout };
  if (flags.dynamodbWidgetTable !== undefined) {
    return { kind: "dynamodb", table: flags.dynamodbWidgetTable };
  }
  assertFolderKeyPrefix(flags.widgetKeyPrefix);
  return { kind: "folder", dir: flags.widgetDir!, ...layout };
}

/**
 * In a folder, a key prefix is a path under `--widget-dir`: it must stay
 * there, and out of the store's own `.mailroom/` bookkeeping.
 */
function assertFolderKeyPrefix(prefix: string): void {
  const parts = prefix.split("/").filter((part) => part !== "");
  if (
    prefix.startsWith("/") ||
    prefix.includes("\\") ||
    parts.some((part) => part === "." || part === "..") ||
    parts[0] === ".mailroom"
  ) {
    throw new CliError(
      `--widget-key-prefix ${JSON.stringify(prefix)} must be folder names under --widget-dir ` +
        "(no leading /, no . or .. parts, not .mailroom/, the store's own folder)",
      2,
    );
  }
}

/**
 * Rewrites `--stats-file` at most every STATS_INTERVAL_MS, atomically, so a
 * reader never sees half a file. An update that comes too soon is written by
 * a trailing timer, so the file never stays behind the consumer for longer
 * than the interval.
 */
function statsWriter(file: string | undefined) {
  let last = 0;
  let latest: ConsumerStats | undefined;
  let trailing: NodeJS.Timeout | undefined;
  let failed = false;
  const write = (stats: ConsumerStats) => {
    clearTimeout(trailing);
    trailing = undefined;
    last = performance.now();
    if (!file) return;
    try {
      replaceFileSync(realFile(file), JSON.stringify(stats));
    } catch (error) {
      // A side output: the consumer goes on; the summary says the same at the end.
      if (!failed)
        process.stderr.write(
          `mailroom: warning: cannot write --stats-file ${file}: ${(error as Error).message}\n`,
        );
      failed = true;
    }
  };
  return {
    update(stats: ConsumerStats) {
      if (!file) return;
      latest = stats;
      const wait = STATS_INTERVAL_MS - (performance.now() - last);
      if (wait <= 0) write(stats);
      else trailing ??= setTimeout(() => write(latest!), wait);
    },
    flush: write,
  };
}
