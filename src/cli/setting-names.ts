import type { EventEmitter } from "node:events";
import type { Command } from "commander";
import { CliError } from "./cli-error.ts";

/**
 * A bad value from an environment variable (`MAILROOM_PORT=http`) is
 * reported under the variable's name: the flag parsers name their flag
 * (`--port must be ...`), which a user who never typed `--port` would look
 * for in vain. Each option's value from the environment is checked first by
 * a listener put before Commander's own, which then parses it again.
 */
export function nameEnvironmentVariablesInErrors(command: Command): void {
  // A Command is an EventEmitter (its options are parsed through events); its typings omit that.
  const events = command as unknown as EventEmitter;
  for (const option of command.options) {
    const variable = option.envVar;
    const parse = option.parseArg;
    if (variable === undefined || parse === undefined) continue;
    events.prependListener(`optionEnv:${option.name()}`, (value: string) => {
      try {
        parse(value, undefined);
      } catch (error) {
        if (!(error instanceof CliError)) return; // Commander's own errors name the variable
        const flag = option.long ?? "";
        const message = error.message.startsWith(`${flag} `)
          ? `${variable}${error.message.slice(flag.length)}`
          : `${variable}: ${error.message}`;
        throw new CliError(message, error.exitCode);
      }
    });
  }
}

/**
 * How the user set option `key` of `command`: its environment variable when
 * the value came from there, else its flag (`MAILROOM_PORT` or `--port`).
 */
export function settingName(command: Command, key: string): string {
  const option = command.options.find((candidate) => candidate.attributeName() === key);
  if (option === undefined) throw new Error(`no option ${key}`);
  return command.getOptionValueSource(key) === "env" && option.envVar !== undefined
    ? option.envVar
    : (option.long ?? key);
}

/** The one line for a server that could not listen on `host:port`, set by `setting`. */
export function listenFailure(
  error: NodeJS.ErrnoException,
  { host, port, setting }: { host: string; port: number; setting: string },
): CliError {
  return new CliError(
    error.code === "EADDRINUSE"
      ? `${host}:${port} is already in use; choose another ${setting}`
      : `cannot listen on ${host}:${port}: ${error.message}`,
  );
}
