import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { AppError } from "../../apps/app-error.ts";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { formatDemoReport } from "../../apps/barrier/barrier-demo-report.ts";
import { runBarrierDemo } from "../../apps/barrier/barrier-demo.ts";
import type { DemoRole } from "../../apps/barrier/barrier-demo.ts";
import {
  DEFAULT_BARRIER_NAME,
  checkBarrierName,
  checkParticipantId,
} from "../../apps/barrier/barrier-names.ts";
import { describeCoordinatorEvent } from "../../apps/barrier/coordinator-events.ts";
import { runCoordinator } from "../../apps/barrier/coordinator.ts";
import { describeParticipantEvent } from "../../apps/barrier/participant-events.ts";
import { runParticipant } from "../../apps/barrier/participant.ts";
import { DEFAULT_WORK_TIME, parseWorkTime } from "../../apps/barrier/work-time.ts";
import type { WorkTime } from "../../apps/barrier/work-time.ts";
import type { Broker } from "../../broker/broker-options.ts";
import { createBroker } from "../../broker/create-broker.ts";
import { addAwsOptions, connectionFrom } from "../aws-flags.ts";
import type { AwsFlags } from "../aws-flags.ts";
import { CliError } from "../cli-error.ts";
import { createLogger } from "../logger.ts";
import type { LogLevel } from "../logger.ts";

const MAILROOM_BIN = fileURLToPath(new URL("../../../bin/mailroom.js", import.meta.url));
const DEFAULT_TIMEOUT_SECONDS = 30;

interface CommonFlags extends AwsFlags {
  barrier: string;
  timeout: number;
  startTimeout?: number;
  logLevel: LogLevel;
}

interface CoordinatorFlags extends CommonFlags {
  participants?: number;
  ids?: string[];
  rounds: number;
}

interface ParticipantFlags extends CommonFlags {
  id: string;
  rounds?: number;
  workMs: WorkTime;
}

interface DemoFlags extends CommonFlags {
  participants: number;
  rounds: number;
  workMs: WorkTime;
}

/**
 * `mailroom barrier coordinator|participant|demo`: barrier synchronization of
 * N processes over SQS queues (protocol in docs/barrier.md).
 */
export function barrierCommand(): Command {
  return new Command("barrier")
    .description("barrier synchronization of N processes over SQS queues (see docs/barrier.md)")
    .addCommand(coordinatorCommand())
    .addCommand(participantCommand())
    .addCommand(demoCommand());
}

function coordinatorCommand(): Command {
  return commonOptions(new Command("coordinator"))
    .description("count each round's check-ins and release every participant when all are in")
    .addOption(
      new Option("--participants <n>", "participants per round").argParser(
        positiveInteger("--participants"),
      ),
    )
    .addOption(
      new Option(
        "--ids <ids>",
        "the participants' ids, comma-separated (instead of --participants)",
      ).argParser(parseIds),
    )
    .addOption(
      new Option("--rounds <n>", "rounds before finishing")
        .default(1)
        .argParser(positiveInteger("--rounds")),
    )
    .action(async (flags: CoordinatorFlags) => {
      const participants = participantCount(flags);
      const logger = createLogger(flags.logLevel, "mailroom-barrier");
      await withSqs(flags, (sqs, stop) =>
        runCoordinator({
          sqs,
          barrier: flags.barrier,
          participants,
          ...(flags.ids ? { expectedIds: flags.ids } : {}),
          rounds: flags.rounds,
          timeoutMs: flags.timeout * 1000,
          startTimeoutMs: (flags.startTimeout ?? flags.timeout) * 1000,
          stop,
          onEvent: (event) =>
            event.kind === "ignored"
              ? logger.debug({ why: event.why }, "ignored a message")
              : print(describeCoordinatorEvent(event)),
        }),
      );
    });
}

function participantCommand(): Command {
  return commonOptions(new Command("participant"))
    .description("do phase 1, check in, wait for the release, do phase 2; once per round")
    .requiredOption("--id <id>", "this participant's id, unique in the barrier", parseId)
    .addOption(
      new Option("--rounds <n>", "rounds to run (default: the coordinator's)").argParser(
        positiveInteger("--rounds"),
      ),
    )
    .addOption(workOption())
    .action(async (flags: ParticipantFlags) => {
      const logger = createLogger(flags.logLevel, "mailroom-barrier");
      await withSqs(flags, (sqs, stop) =>
        runParticipant({
          sqs,
          barrier: flags.barrier,
          id: flags.id,
          ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
          timeoutMs: flags.timeout * 1000,
          work: flags.workMs,
          stop,
          onEvent: (event) =>
            event.kind === "ignored"
              ? logger.debug({ why: event.why }, "ignored a message")
              : print(describeParticipantEvent(event)),
        }),
      );
    });
}

function demoCommand(): Command {
  return commonOptions(new Command("demo"), "barrier-demo")
    .description(
      "run a coordinator and N participants as processes and check that no phase 2 starts early; without --endpoint-url on an in-process broker",
    )
    .addOption(
      new Option("--participants <n>", "participant processes")
        .default(5)
        .argParser(positiveInteger("--participants")),
    )
    .addOption(
      new Option("--rounds <n>", "rounds").default(3).argParser(positiveInteger("--rounds")),
    )
    .addOption(workOption())
    .action(async (flags: DemoFlags) => {
      const stop = stopOnSignals();
      let broker: Broker | undefined;
      let endpoint = flags.endpointUrl;
      if (endpoint === undefined) {
        broker = createBroker({ inMemory: true, host: "127.0.0.1", port: 0 });
        endpoint = (await broker.listen()).endpoint;
      }
      print(
        `Barrier demo: ${flags.participants} participants, ${flags.rounds} rounds, barrier "${flags.barrier}" on ${broker ? `an in-process broker at ${endpoint}` : endpoint}`,
      );
      try {
        const outcome = await runBarrierDemo({
          participants: flags.participants,
          rounds: flags.rounds,
          stop: stop.signal,
          launch: (role, ids) =>
            spawn(
              process.execPath,
              [
                MAILROOM_BIN,
                "barrier",
                ...roleArguments(role, ids, flags),
                ...childArguments(flags, endpoint),
              ],
              { stdio: ["ignore", "pipe", "pipe"] },
            ),
        });
        for (const line of formatDemoReport(outcome)) print(line);
        if (!outcome.ok) throw demoFailure(outcome);
        print(
          `all ${flags.rounds} rounds OK: no phase 2 began before the last phase 1 of its round ended`,
        );
      } finally {
        stop.dispose();
        await broker?.close();
      }
    });
}

function roleArguments(role: DemoRole, ids: readonly string[], flags: DemoFlags): string[] {
  const rounds = ["--rounds", String(flags.rounds)];
  if (role.kind === "coordinator") return ["coordinator", "--ids", ids.join(","), ...rounds];
  const { minMs, maxMs } = flags.workMs;
  return ["participant", "--id", role.id, ...rounds, "--work-ms", `${minMs}-${maxMs}`];
}

function childArguments(flags: DemoFlags, endpoint: string): string[] {
  return [
    "--barrier",
    flags.barrier,
    "--timeout",
    String(flags.timeout),
    ...(flags.startTimeout === undefined ? [] : ["--start-timeout", String(flags.startTimeout)]),
    "--log-level",
    flags.logLevel,
    "--endpoint-url",
    endpoint,
    "--region",
    flags.region,
    ...(flags.profile === undefined ? [] : ["--profile", flags.profile]),
  ];
}

function demoFailure(outcome: Awaited<ReturnType<typeof runBarrierDemo>>): AppError {
  const badRound = outcome.checks.find((check) => check.problem !== undefined);
  const failed = outcome.exits.filter((exit) => exit.code !== 0);
  if (failed.length > 0) {
    return new AppError(
      `barrier demo failed: ${failed.length} of ${outcome.exits.length} processes failed (${failed.map((exit) => exit.name).join(", ")})`,
    );
  }
  return new AppError(`barrier demo failed: round ${badRound?.round}: ${badRound?.problem}`);
}

function commonOptions(command: Command, defaultBarrier = DEFAULT_BARRIER_NAME): Command {
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
        "longest wait for a round (coordinator) or a release (participant)",
      )
        .default(DEFAULT_TIMEOUT_SECONDS)
        .argParser(parseSeconds),
    )
    .addOption(
      new Option(
        "--start-timeout <seconds>",
        "the same for round 1, which also waits for every process to start (default: --timeout)",
      ).argParser(parseSeconds),
    )
    .addOption(
      new Option("--log-level <level>", "structured log level on stderr")
        .choices(["debug", "info", "warn", "error", "silent"])
        .default("warn")
        .env("MAILROOM_LOG_LEVEL"),
    );
}

function workOption(): Option {
  return new Option("--work-ms <ms>", "simulated phase time: 300, or a random time in 100-500")
    .default(DEFAULT_WORK_TIME, `${DEFAULT_WORK_TIME.minMs}-${DEFAULT_WORK_TIME.maxMs}`)
    .argParser(asCliError(parseWorkTime));
}

/** Runs `run` with an SQS client and a stop signal, releasing both afterwards. */
async function withSqs<T>(
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

/** SIGINT/SIGTERM abort the run (participants are told); a second signal exits at once. */
function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    controller.abort(signal);
    process.once(signal, () => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

function participantCount(flags: CoordinatorFlags): number {
  if (flags.ids && flags.participants !== undefined && flags.participants !== flags.ids.length) {
    throw new CliError(
      `--participants ${flags.participants} does not match the ${flags.ids.length} ids of --ids`,
      2,
    );
  }
  const count = flags.participants ?? flags.ids?.length;
  if (count === undefined) throw new CliError("give --participants <n> or --ids <id,id,...>", 2);
  return count;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10_000) {
      throw new CliError(`${flag} must be a whole number from 1 to 10000, got "${value}"`, 2);
    }
    return Number(value);
  };
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 86_400) {
    throw new CliError(`a timeout must be seconds above 0 (up to 86400), got "${value}"`, 2);
  }
  return seconds;
}

function parseIds(value: string): string[] {
  const ids = value.split(",").map((id) => parseId(id.trim()));
  if (new Set(ids).size !== ids.length)
    throw new CliError(`--ids has a repeated id: "${value}"`, 2);
  return ids;
}

const parseId = asCliError(checkParticipantId);
const parseBarrier = asCliError(checkBarrierName);

/** Flag parsers throw CliError (exit 2) so Commander's own errors and ours read alike. */
function asCliError<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.message, 2);
      throw error;
    }
  };
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
