import { join } from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsConnection } from "../../../apps/aws/aws-connection.ts";
import type { Logger } from "pino";
import { createSqsClient } from "../../../apps/aws/sqs-client.ts";
import type { ResultBackend } from "../../../apps/jobs/result-backend.ts";
import type { CalendarStore } from "../../../apps/todo/calendar-store.ts";
import { openCalendarStore } from "../../../apps/todo/calendar-store-options.ts";
import { SqliteResultBackend } from "../../../apps/jobs/sqlite-result-backend.ts";
import { resolveQueueUrl } from "../../../apps/aws/queue-url.ts";
import { ensureJobQueue } from "../../../apps/jobs/ensure-job-queue.ts";
import type { CalendarStoreOptions } from "../../../apps/todo/calendar-store-options.ts";
import { addAwsOptions, connectionFrom } from "../../aws-flags.ts";
import type { AwsFlags } from "../../aws-flags.ts";
import { CliError } from "../../cli-error.ts";
import { logFormatOption, logLevelOption } from "../../log-flags.ts";
import { createLogger } from "../../logger.ts";
import type { LogFlags } from "../../logger.ts";
import { stopOnSignals } from "../../stop-on-signals.ts";
import { unlessStopped } from "../../unless-stopped.ts";
import { wholeNumberFlag } from "../../parse-flags.ts";

/** The flags `mailroom todo` and `mailroom worker` share: the queue, the results and the calendars. */
export interface JobsFlags extends AwsFlags, LogFlags {
  queue: string;
  dataDir: string;
  results?: string;
  resultsTable?: string;
  calendarDir?: string;
  calendarBucket?: string;
  calendarKeyPrefix: string;
  maxAttempts: number;
}

export const DEFAULT_TODO_DATA_DIR = ".mailroom/todo";
export const DEFAULT_TODO_QUEUE = "todo-calendars";
export const DEFAULT_MAX_ATTEMPTS = 5;

/** Adds the shared flags (and the AWS and log flags) to `command`. */
export function addJobsOptions(command: Command): Command {
  return addAwsOptions(command)
    .addOption(
      new Option(
        "--queue <name-or-url>",
        "the calendar job queue; a name is created with a -dlq dead-letter queue when missing",
      )
        .default(DEFAULT_TODO_QUEUE)
        .env("MAILROOM_TODO_QUEUE"),
    )
    .addOption(
      new Option(
        "--data-dir <dir>",
        "folder of the app's database, the job results and (by default) the calendars",
      )
        .default(DEFAULT_TODO_DATA_DIR)
        .env("MAILROOM_TODO_DATA_DIR"),
    )
    .addOption(
      new Option(
        "--results <file>",
        "SQLite file of the jobs' statuses and results, shared by the app and the workers (default: <data-dir>/jobs.db)",
      ),
    )
    .addOption(
      new Option(
        "--results-table <table>",
        "keep the job records in this DynamoDB table instead (created when missing), for workers on other machines",
      ),
    )
    .addOption(
      new Option(
        "--calendar-dir <dir>",
        "folder the rendered calendars are kept in (default: <data-dir>/calendars)",
      ),
    )
    .addOption(
      new Option(
        "--calendar-bucket <bucket>",
        "keep the rendered calendars in this S3 bucket instead",
      ),
    )
    .addOption(
      new Option("--calendar-key-prefix <prefix>", "key prefix of calendars in the bucket").default(
        "calendars/",
      ),
    )
    .addOption(
      new Option(
        "--max-attempts <n>",
        "runs of a failing job before it goes to the dead-letter queue (also the new queue's maxReceiveCount)",
      )
        .default(DEFAULT_MAX_ATTEMPTS)
        .argParser(wholeNumberFlag("--max-attempts", { min: 1, max: 1000 })),
    )
    .addOption(logLevelOption())
    .addOption(logFormatOption());
}

/**
 * The result backend the flags name: the SQLite file (the app and workers of
 * one machine) or, with `--results-table`, a DynamoDB table.
 */
async function openResultBackend(
  flags: JobsFlags,
  connection: AwsConnection,
): Promise<ResultBackend> {
  if (flags.resultsTable === undefined) {
    return new SqliteResultBackend(flags.results ?? join(flags.dataDir, "jobs.db"));
  }
  const [{ DynamoResultBackend, ensureResultsTable }, { createDynamoClients }] = await Promise.all([
    import("../../../apps/jobs/dynamodb-result-backend.ts"),
    import("../../../apps/aws/dynamodb-client.ts"),
  ]);
  const { client, documents } = createDynamoClients(connection);
  try {
    await ensureResultsTable(client, flags.resultsTable);
  } catch (error) {
    documents.destroy();
    throw error;
  }
  return new DynamoResultBackend({ documents, table: flags.resultsTable, ownsClient: true });
}

/** Refuses flags that contradict each other, before anything starts. */
function checkJobsFlags(flags: JobsFlags): void {
  if (flags.results !== undefined && flags.resultsTable !== undefined) {
    throw new CliError("give --results or --results-table, not both", 2);
  }
}

function calendarStoreOptions(flags: JobsFlags): CalendarStoreOptions {
  if (flags.calendarBucket !== undefined && flags.calendarDir !== undefined) {
    throw new CliError("give --calendar-dir or --calendar-bucket, not both", 2);
  }
  if (flags.calendarBucket !== undefined) {
    return { kind: "s3", bucket: flags.calendarBucket, keyPrefix: flags.calendarKeyPrefix };
  }
  return { kind: "folder", dir: flags.calendarDir ?? join(flags.dataDir, "calendars") };
}

/** The queue's URL: a URL as given (it must exist), a name created when missing. */
async function jobQueueUrl(sqs: SQSClient, flags: JobsFlags, stop: AbortSignal): Promise<string> {
  if (/^https?:\/\//.test(flags.queue)) return resolveQueueUrl(sqs, flags.queue, stop);
  return ensureJobQueue(sqs, { name: flags.queue, maxReceiveCount: flags.maxAttempts }, stop);
}

/** What `mailroom todo` and `mailroom worker` both set up from their flags. */
export interface JobsSetup {
  readonly logger: Logger;
  readonly connection: AwsConnection;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly backend: ResultBackend;
  readonly calendars: CalendarStore;
  /** Aborted by SIGINT or SIGTERM. */
  readonly stop: AbortSignal;
}

/**
 * Checks the flags, opens the queue, the result backend and the calendar
 * store, runs `run`, and closes them all whatever happens.
 */
export async function withJobsSetup(
  flags: JobsFlags,
  loggerName: string,
  run: (setup: JobsSetup) => Promise<void>,
): Promise<void> {
  const calendarOptions = calendarStoreOptions(flags);
  checkJobsFlags(flags);
  const logger = createLogger(loggerName, flags);
  const connection = connectionFrom(flags);
  const sqs = createSqsClient(connection);
  const stop = stopOnSignals();
  const closing: (() => Promise<void> | void)[] = [() => stop.dispose(), () => sqs.destroy()];
  try {
    const backend = await unlessStopped(openResultBackend(flags, connection), stop.signal);
    closing.push(() => backend.close());
    const calendars = await unlessStopped(
      openCalendarStore(calendarOptions, connection),
      stop.signal,
    );
    closing.push(() => calendars.close());
    const queueUrl = await unlessStopped(jobQueueUrl(sqs, flags, stop.signal), stop.signal);
    await run({ logger, connection, sqs, queueUrl, backend, calendars, stop: stop.signal });
  } finally {
    for (const close of closing.reverse()) await close();
  }
}
