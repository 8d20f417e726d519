import { Command, Option } from "commander";
import { describeCoordinatorEvent } from "../../../apps/barrier/coordinator-events.ts";
import { runCoordinator } from "../../../apps/barrier/coordinator.ts";
import { describeParticipantEvent } from "../../../apps/barrier/participant-events.ts";
import { runParticipant } from "../../../apps/barrier/participant.ts";
import { CliError } from "../../cli-error.ts";
import { createLogger } from "../../logger.ts";
import { requireRole } from "../../subcommand-usage.ts";
import { demoCommand } from "./barrier-demo-command.ts";
import {
  commonOptions,
  parseId,
  parseIds,
  positiveInteger,
  print,
  withSqs,
  workOption,
} from "./barrier-flags.ts";
import type { CoordinatorFlags, ParticipantFlags } from "./barrier-flags.ts";

/**
 * `mailroom barrier coordinator|participant|demo`: barrier synchronization of
 * N processes over SQS queues (protocol in docs/barrier.md).
 */
export function barrierCommand(): Command {
  return requireRole(
    new Command("barrier")
      .description("barrier synchronization of N processes over SQS queues (see docs/barrier.md)")
      .addCommand(coordinatorCommand())
      .addCommand(participantCommand())
      .addCommand(demoCommand()),
  );
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
      const logger = createLogger("mailroom-barrier", flags);
      await withSqs(flags, (sqs, stop) =>
        runCoordinator({
          sqs,
          barrier: flags.barrier,
          participants,
          ...(flags.ids ? { expectedIds: flags.ids } : {}),
          rounds: flags.rounds,
          timeoutMs: flags.timeout,
          startTimeoutMs: flags.startTimeout ?? flags.timeout,
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
      const logger = createLogger("mailroom-barrier", flags);
      await withSqs(flags, (sqs, stop) =>
        runParticipant({
          sqs,
          barrier: flags.barrier,
          id: flags.id,
          ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
          timeoutMs: flags.timeout,
          startTimeoutMs: flags.startTimeout ?? flags.timeout,
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
