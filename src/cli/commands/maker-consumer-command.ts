import { Command, Option } from "commander";
import { MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS } from "../../apps/aws/sqs-limits.ts";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { resolveQueueUrl } from "../../apps/aws/queue-url.ts";
import { counted, formatCount } from "../../apps/counted.ts";
import { runMakerConsumer } from "../../apps/maker-consumer/maker-consumer.ts";
import type { MakerConsumerSummary } from "../../apps/maker-consumer/maker-consumer.ts";
import { MAKER_RETRY_POLICY } from "../../apps/maker-consumer/retry-decision.ts";
import { addAwsOptions, connectionFrom } from "../aws-flags.ts";
import type { AwsFlags } from "../aws-flags.ts";
import { CliError } from "../cli-error.ts";
import { durationFlag, wholeNumberFlag, wholeSecondsFlag } from "../parse-flags.ts";
import { logFormatOption, logLevelOption } from "../log-flags.ts";
import { stopOnSignals } from "../stop-on-signals.ts";
import { unlessStopped } from "../unless-stopped.ts";
import { createLogger } from "../logger.ts";
import type { LogFlags } from "../logger.ts";

interface MakerConsumerFlags extends AwsFlags, LogFlags {
  requestQueue: string;
  responseQueue: string;
  makerUrl: string;
  waitSeconds: number;
  visibilityTimeout?: number;
  requestTimeout: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  maxReceives: number;
  idleTimeout?: number;
  maxRuntime?: number;
}

/** `mailroom maker-consumer`: feeds queued widget requests to the widget maker. */
export function makerConsumerCommand(): Command {
  const command = new Command("maker-consumer")
    .description(
      "receive widget requests from a queue, POST each to the widget maker, answer on a response queue",
    )
    .requiredOption("--request-queue <name-or-url>", "queue the widget requests arrive on")
    .requiredOption("--response-queue <name-or-url>", "queue OK / REJECTED responses go to")
    .addOption(
      new Option("--maker-url <url>", "the widget maker (POST <url>/widgets, or a full POST URL)")
        .default("http://127.0.0.1:8080")
        .env("MAILROOM_MAKER_URL")
        .argParser(parseMakerUrl),
    )
    .addOption(
      seconds(
        "--wait-seconds <s>",
        "long-poll wait of each receive (0-20)",
        MAX_WAIT_SECONDS,
        MAX_WAIT_SECONDS,
      ),
    )
    .addOption(
      new Option(
        "--visibility-timeout <s>",
        "visibility timeout asked for on receive (default: the queue's)",
      ).argParser(wholeSecondsFlag("--visibility-timeout", { max: MAX_VISIBILITY_SECONDS })),
    )
    .addOption(
      new Option("--request-timeout <s>", "how long one POST to the maker may take")
        .default(10_000, "10 s")
        .argParser(durationFlag("--request-timeout", { unit: "s", minMs: 1, maxMs: 3_600_000 })),
    )
    .addOption(
      seconds(
        "--retry-base-seconds <s>",
        "visibility timeout after the first failed attempt; doubles per receive",
        MAKER_RETRY_POLICY.baseDelaySeconds,
      ),
    )
    .addOption(
      seconds(
        "--retry-max-seconds <s>",
        "cap of the doubling retry visibility timeout",
        MAKER_RETRY_POLICY.maxDelaySeconds,
        MAX_VISIBILITY_SECONDS,
      ),
    )
    .addOption(
      new Option(
        "--max-receives <n>",
        "receive count at which to stop retrying and leave the request to the queue's dead-letter redrive (match its maxReceiveCount)",
      )
        .default(MAKER_RETRY_POLICY.maxReceives)
        .argParser(wholeNumberFlag("--max-receives", { min: 1, max: 1000 })),
    )
    .addOption(
      new Option(
        "--idle-timeout <s>",
        "stop after this long without a request (0: never; or 500ms, 5m...)",
      ).argParser(durationFlag("--idle-timeout", { unit: "s" })),
    )
    .addOption(
      new Option(
        "--max-runtime <s>",
        "stop after running this long (0: run until stopped; or 500ms, 5m...)",
      ).argParser(durationFlag("--max-runtime", { unit: "s" })),
    )
    .addOption(logLevelOption())
    .addOption(logFormatOption());
  // SQS alone: the maker keeps its own widgets, so no S3 or DynamoDB endpoint to offer.
  return addAwsOptions(command, ["sqs"]).action(async (flags: MakerConsumerFlags) =>
    runCommand(flags),
  );
}

async function runCommand(flags: MakerConsumerFlags): Promise<void> {
  if (flags.requestQueue === flags.responseQueue) throw sameQueue(flags.requestQueue);
  const logger = createLogger("mailroom-maker-consumer", flags);
  const stop = stopOnSignals((signal) =>
    logger.info({ signal }, "stopping: settling the requests in hand"),
  );
  const sqs = createSqsClient(connectionFrom(flags));
  try {
    const requestQueueUrl = await unlessStopped(
      resolveQueueUrl(sqs, flags.requestQueue, stop.signal),
      stop.signal,
    );
    const responseQueueUrl = await unlessStopped(
      resolveQueueUrl(sqs, flags.responseQueue, stop.signal),
      stop.signal,
    );
    if (requestQueueUrl === responseQueueUrl) throw sameQueue(requestQueueUrl);
    process.stdout.write(
      `Maker consumer: ${requestQueueUrl} -> ${flags.makerUrl}, responses to ${responseQueueUrl}\n`,
    );
    const summary = await runMakerConsumer({
      sqs,
      requestQueueUrl,
      responseQueueUrl,
      makerUrl: flags.makerUrl,
      logger,
      signal: stop.signal,
      waitSeconds: flags.waitSeconds,
      visibilityTimeout: flags.visibilityTimeout,
      requestTimeoutMs: flags.requestTimeout,
      retry: {
        baseDelaySeconds: flags.retryBaseSeconds,
        maxDelaySeconds: flags.retryMaxSeconds,
        maxReceives: flags.maxReceives,
      },
      // 0 for either: no limit.
      idleTimeoutMs: flags.idleTimeout || undefined,
      maxRuntimeMs: flags.maxRuntime || undefined,
    });
    process.stdout.write(`${summaryLine(summary)}\n`);
  } finally {
    stop.dispose();
    sqs.destroy();
  }
}

/** `Maker consumer stopped (idle): 3 made, 1 repeat, 0 rejected, 2 retries scheduled, ...` */
function summaryLine(summary: MakerConsumerSummary): string {
  const n = formatCount;
  return (
    `Maker consumer stopped (${summary.stoppedBy}): ${n(summary.made)} made, ` +
    `${counted(summary.repeat, "repeat")}, ${n(summary.rejected)} rejected, ` +
    `${counted(summary.retrying, "retry", "retries")} scheduled, ${n(summary["gave-up"])} given up, ` +
    `${n(summary.failed)} failed`
  );
}

/** A whole number of seconds: SQS takes waits and visibility timeouts in whole seconds. */
function seconds(
  flags: string,
  description: string,
  defaultValue: number,
  max = MAX_VISIBILITY_SECONDS,
): Option {
  const name = flags.split(" ")[0]!;
  return new Option(flags, description)
    .default(defaultValue)
    .argParser(wholeSecondsFlag(name, { max }));
}

function parseMakerUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new CliError(
      `--maker-url must be an http(s) URL such as http://127.0.0.1:8080, got "${value}"`,
      2,
    );
  }
  return value;
}

/** Each response would come back as a request, and be answered again, endlessly. */
function sameQueue(queue: string): CliError {
  return new CliError(
    `--request-queue and --response-queue are the same queue (${queue}): each response would be read as a new request`,
    2,
  );
}
