import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { AppError } from "../apps/app-error.ts";
import { ProvisioningConfigError } from "../broker/provisioning/provisioning-config.ts";
import { AuthConfigError } from "../broker/auth-policy.ts";
import { CredentialsConfigError } from "../broker/protocol/sigv4/credentials-config.ts";
import { StoredLocationError } from "../broker/engine/stored-location.ts";
import { DataDirError } from "../broker/storage/data-dir-error.ts";
import { StoreInUseError } from "../broker/storage/store-in-use-error.ts";
import { CliError } from "./cli-error.ts";
import { dropOutputOnceStdoutCloses } from "./closed-stdout.ts";
import { refuseMissingValues } from "./flag-values.ts";
import { nameEnvironmentVariablesInErrors } from "./setting-names.ts";
import { expandLegacyShortFlags } from "./legacy-short-flags.ts";
import { stopWithParent } from "./stop-with-parent.ts";

/**
 * Each command is loaded only when it runs (all of them for `--help`): a
 * consumer process then carries neither the broker's SQLite driver nor the
 * S3 and DynamoDB clients it does not use, which is tens of MiB per process.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  server: async () => (await import("./commands/server-command.ts")).serverCommand(),
  pipeline: async () => (await import("./commands/pipeline-command.ts")).pipelineCommand(),
  producer: async () => (await import("./commands/producer-command.ts")).producerCommand(),
  consumer: async () => (await import("./commands/consumer-command.ts")).consumerCommand(),
  queue: async () => (await import("./commands/queue-command.ts")).queueCommand(),
  barrier: async () => (await import("./commands/barrier/barrier-command.ts")).barrierCommand(),
  maker: async () => (await import("./commands/maker-command.ts")).makerCommand(),
  "maker-consumer": async () =>
    (await import("./commands/maker-consumer-command.ts")).makerConsumerCommand(),
  todo: async () => (await import("./commands/todo/todo-command.ts")).todoCommand(),
  worker: async () => (await import("./commands/todo/worker-command.ts")).workerCommand(),
};

/**
 * `mailroom <command>`: the one entry point. Commands throw; this is the only
 * place that prints an error and picks the exit code.
 */
const program = new Command("mailroom")
  .description("Mailroom: a local-first SQS-compatible broker and the widget system built on it")
  .version(packageVersion(), "--version", "print the version and exit")
  .configureOutput({
    // One line for a usage error: Commander's own words, and where to look.
    outputError: (text, write) =>
      write(
        `mailroom: ${text
          .trim()
          .replace(/^error: /, "")
          // Commander's "(Did you mean server?)" comes on a line of its own.
          .replace(/\s*\n\s*/g, " ")} (run with --help for usage)\n`,
      ),
  })
  .exitOverride();

stopWithParent();
dropOutputOnceStdoutCloses();
try {
  const named = process.argv[2];
  const wanted =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) program.addCommand(withProgramSettings(await COMMANDS[name]!()));
  await program.parseAsync(expandLegacyShortFlags(process.argv));
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/**
 * Commands made on their own and added with addCommand do not inherit the
 * program's settings: without them a subcommand's usage error would print
 * Commander's two lines and exit 1 by itself.
 */
function withProgramSettings(command: Command): Command {
  command.copyInheritedSettings(program);
  nameEnvironmentVariablesInErrors(command);
  refuseMissingValues(command);
  for (const sub of command.commands) withProgramSettings(sub);
  return command;
}

function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

function exitCodeFor(error: unknown): number {
  // Commander has printed its one line already; --help and --version end with 0,
  // a usage error (unknown option, missing or bad value) with 2.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof CliError || error instanceof AppError) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof StoreInUseError || error instanceof DataDirError) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return 1;
  }
  if (
    error instanceof ProvisioningConfigError ||
    error instanceof StoredLocationError ||
    error instanceof CredentialsConfigError ||
    error instanceof AuthConfigError
  ) {
    process.stderr.write(`mailroom: ${error.message}\n`);
    return 2;
  }
  if (isSystemError(error)) {
    // A folder that is a file, a disk that is full, a permission: the machine's state, not a bug.
    process.stderr.write(`mailroom: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(
    `mailroom: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

/** An error of a system call (`ENOTDIR: not a directory, mkdir '/x'`), which names its cause. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).syscall === "string" &&
    typeof (error as NodeJS.ErrnoException).code === "string"
  );
}
