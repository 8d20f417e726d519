import { Command, CommanderError } from "commander";
import { AppError } from "../apps/app-error.ts";
import { ProvisioningConfigError } from "../broker/provisioning/provisioning-config.ts";
import { StoreInUseError } from "../broker/storage/store-in-use-error.ts";
import { CliError } from "./cli-error.ts";
import { expandLegacyShortFlags } from "./legacy-short-flags.ts";
import { consumerCommand } from "./commands/consumer-command.ts";
import { makerCommand } from "./commands/maker-command.ts";
import { makerConsumerCommand } from "./commands/maker-consumer-command.ts";
import { pipelineCommand } from "./commands/pipeline-command.ts";
import { producerCommand } from "./commands/producer-command.ts";
import { serverCommand } from "./commands/server-command.ts";
import { barrierCommand } from "./commands/barrier-command.ts";
import { queueCommand } from "./commands/queue-command.ts";

/**
 * `mailroom <command>`: the one entry point. Commands throw; this is the only
 * place that prints an error and picks the exit code.
 */
const program = new Command("mailroom")
  .description("Mailroom: a local-first SQS-compatible broker and the widget system built on it")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .addCommand(queueCommand())
  .addCommand(serverCommand())
  .addCommand(barrierCommand())
  .addCommand(makerCommand())
  .addCommand(makerConsumerCommand())
  .addCommand(producerCommand())
  .addCommand(consumerCommand())
  .addCommand(pipelineCommand());

try {
  await program.parseAsync(expandLegacyShortFlags(process.argv));
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  // Commander has already printed its own one-line message (unknown option, --help...).
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof CliError || error instanceof AppError) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof StoreInUseError) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return 1;
  }
  if (error instanceof ProvisioningConfigError) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `mailroom: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}
