import type { EventEmitter } from "node:events";
import type { Command, Option } from "commander";
import { CliError } from "./cli-error.ts";

const emptyAllowed = new WeakSet<Option>();

/** Marks an option whose empty value means something (`--prepend ""`: nothing before the body). */
export function emptyValueAllowed(option: Option): Option {
  emptyAllowed.add(option);
  return option;
}

/**
 * Refuses a flag's value that is no value: another flag of the command
 * (`--data-dir --in-memory` would make a folder named `--in-memory`:
 * Commander takes whatever follows as the value), or an empty string
 * (`--log-file ""` would log to stdout), and an environment variable set
 * to nothing (`MAILROOM_DATA_DIR=` would put the data in the current folder).
 * Each check runs before Commander's own handling of the value.
 */
export function refuseMissingValues(command: Command): void {
  // A Command is an EventEmitter (its options are parsed through events); its typings omit that.
  const events = command as unknown as EventEmitter;
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    const flag = option.long ?? option.flags;
    events.prependListener(`option:${option.name()}`, (value: string | undefined) => {
      if (value === undefined) return;
      if (value === "" && !emptyAllowed.has(option)) {
        throw new CliError(`${flag} needs a value, got ""`, 2);
      }
      const named = value.split("=", 1)[0]!;
      if (isFlagOf(command, named)) {
        throw new CliError(`${flag} needs a value, got the flag ${named}`, 2);
      }
    });
    if (option.envVar !== undefined && !emptyAllowed.has(option)) {
      const variable = option.envVar;
      events.prependListener(`optionEnv:${option.name()}`, (value: string) => {
        if (value === "") {
          throw new CliError(`${variable} is set but empty; give it a value or unset it`, 2);
        }
      });
    }
  }
}

function isFlagOf(command: Command, text: string): boolean {
  if (!text.startsWith("-")) return false;
  for (let at: Command | null = command; at !== null; at = at.parent) {
    if (at.options.some((option) => option.long === text || option.short === text)) return true;
  }
  return text === "--help" || text === "-h";
}
