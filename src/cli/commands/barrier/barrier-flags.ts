import { Option } from "commander";
import type { Command } from "commander";
import { AppError } from "../../../apps/app-error.ts";
import { createSqsClient } from "../../../apps/aws/sqs-client.ts";
import {
  DEFAULT_BARRIER_NAME,
  checkBarrierName,
  checkParticipantId,
} from "../../../apps/barrier/barrier-names.ts";
import { DEFAULT_WORK_TIME, parseWorkTime } from "../../../apps/barrier/work-time.ts";
import type { WorkTime } from "../../../apps/barrier/work-time.ts";
import { addAwsOptions, connectionFrom } from "../../aws-flags.ts";
import type { AwsFlags } from "../../aws-flags.ts";
import { CliError } from "../../cli-error.ts";
import { durationFlag, wholeNumberFlag } from "../../parse-flags.ts";
import { stopOnSignals } from "../../stop-on-signals.ts";
import { logFormatOption, logLevelOption } from "../../log-flags.ts";
import type { LogFlags } from "../../logger.ts";

const DEFAULT_TIMEOUT_SECONDS = 30;

/** The flags every `mailroom barrier` subcommand takes (see {@link commonOptions}). */
export interface CommonFlags extends AwsFlags, LogFlags {
  barrier: string;
  /** Milliseconds, as every duration flag is parsed. */
  timeout: number;
  startTimeout?: number;
}

/** `mailroom barrier coordinator` flags: `--participants` or `--ids` gives the count. */
export interface CoordinatorFlags extends CommonFlags {
  participants?: number;
  ids?: string[];
  rounds: number;
}

/** `mailroom barrier participant` flags. */
export interface ParticipantFlags extends CommonFlags {
  id: string;
  rounds?: number;
  workMs: WorkTime;
}

/** `mailroom barrier demo` flags. */
export interface DemoFlags extends CommonFlags {
  participants: number;
  rounds: number;
  workMs: WorkTime;
}

/**
 * Adds the AWS options and `--barrier`, `--timeout`, `--start-timeout` and
 * `--log-level` and `--log-format` to `command`; `--barrier` defaults to `defaultBarrier`.
 */
export function commonOptions(command: Command, defaultBarrier = DEFAULT_BARRIER_NAME): Command {
  return addAwsOptions(command)
    .addOption(
      new Option(
        "--barrier <name>",
        "barrier name; its queues are <name>-checkin and <name>-release-<id>",
      )
        .default(defaultBarrier)
        .argParser(parseBarrier),
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        "longest wait for a round (coordinator); a participant waits 10 s more for its release, so the coordinator's abort reaches it first",
      )
        .default(DEFAULT_TIMEOUT_SECONDS * 1000, `${DEFAULT_TIMEOUT_SECONDS} s`)
        .argParser(durationFlag("--timeout", TIMEOUT_RANGE)),
    )
    .addOption(
      new Option(
        "--start-timeout <seconds>",
        "the same for round 1, which also waits for every process to start (default: --timeout)",
      ).argParser(durationFlag("--start-timeout", TIMEOUT_RANGE)),
    )
    .addOption(logLevelOption("warn"))
    .addOption(logFormatOption());
}

/** `--work-ms`: the simulated time of each phase, fixed or a random range. */
export function workOption(): Option {
  return new Option("--work-ms <ms>", "simulated phase time: 300, or a random time in 100-500")
    .default(DEFAULT_WORK_TIME, `${DEFAULT_WORK_TIME.minMs}-${DEFAULT_WORK_TIME.maxMs}`)
    .argParser(asCliError("--work-ms", parseWorkTime));
}

/** Runs `run` with an SQS client and a stop signal, releasing both afterwards. */
export async function withSqs<T>(
  flags: CommonFlags,
  run: (sqs: ReturnType<typeof createSqsClient>, stop: AbortSignal) => Promise<T>,
): Promise<T> {
  const sqs = createSqsClient(connectionFrom(flags));
  const stop = stopOnSignals();
  try {
    return await run(sqs, stop.signal);
  } finally {
    stop.dispose();
    sqs.destroy();
  }
}

/** A parser for `flag`: a whole number from 1 to 10000. */
export function positiveInteger(flag: string): (value: string) => number {
  return wholeNumberFlag(flag, { min: 1, max: 10_000 });
}

/** Waits in seconds (or 500ms, 5m...), above 0 and up to a day. */
const TIMEOUT_RANGE = { unit: "s", minMs: 1, maxMs: 86_400_000 } as const;

/** Parses `--ids`: comma-separated participant ids, none repeated. */
export function parseIds(value: string): string[] {
  const ids = value.split(",").map((id) => {
    try {
      return parseId(id.trim());
    } catch (error) {
      throw new CliError(`--ids: ${(error as Error).message}`, 2);
    }
  });
  if (new Set(ids).size !== ids.length)
    throw new CliError(`--ids has a repeated id: "${value}"`, 2);
  return ids;
}

/** Parses one participant id (`--id`). */
export const parseId = asCliError("--id", checkParticipantId);
const parseBarrier = asCliError("--barrier", checkBarrierName);

/**
 * Flag parsers throw CliError (exit 2) so Commander's own errors and ours
 * read alike, naming the flag the app's check does not know of.
 */
function asCliError<T>(flag: string, parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof AppError) {
        const named = error.message.startsWith(`${flag} `);
        throw new CliError(named ? error.message : `${flag}: ${error.message}`, 2);
      }
      throw error;
    }
  };
}

/** Writes one line of the command's output to stdout. */
export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
