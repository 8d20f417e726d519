import type { Command } from "commander";

/**
 * For a command that is only its subcommands, its roles (`mailroom queue
 * send|receive`, `mailroom barrier coordinator|participant|demo`): options
 * with no role before them, a role written as a flag (`--receive`, the shape
 * of the course's own programs) or a word that is no role get one line saying
 * that the role is a subcommand and comes first. Commander would say only
 * `unknown option '--name'`, as if the flag did not exist. Bare `mailroom
 * queue` still prints the help.
 */
export function requireRole(command: Command): Command {
  return (
    command
      // Whatever stands where the role should be reaches the action, which explains it.
      .argument("[words...]")
      .allowUnknownOption()
      // Commander drops its `help [command]` from a command with an action, and
      // would show the words in the usage line: both as they were without one.
      .helpCommand(true)
      .usage("[options] [command]")
      // Another role written as a flag after this one (`queue send --receive`):
      // said before the role's own missing options, which Commander checks first.
      .hook("preSubcommand", (_, role) => {
        const other = command.args.slice(1).find((word) => rolesOf(command).includes(roleIn(word)));
        if (other === undefined || roleIn(other) === role.name()) return;
        usageError(
          command,
          `${other} is a role of its own, not an option of ${role.name()}: one role a run, mailroom ${command.name()} ${rolesOf(command).join("|")} [options]`,
        );
      })
      .action((words: string[]) => {
        if (words.length === 0) command.help({ error: true });
        const name = command.name();
        const roles = rolesOf(command);
        const asFlag = words.find((word) => roles.includes(roleIn(word)));
        if (asFlag !== undefined) {
          const rest = words.filter((word) => word !== asFlag).map(shellWord);
          usageError(
            command,
            `the role is a subcommand, not ${asFlag}: ${["mailroom", name, roleIn(asFlag), ...rest].join(" ")}`,
          );
        }
        const usage = `mailroom ${name} ${roles.join("|")} [options]`;
        if (words[0]!.startsWith("-")) usageError(command, `the role comes first: ${usage}`);
        usageError(command, `'${words[0]}' is not a role: ${usage}`);
      })
  );
}

function rolesOf(command: Command): string[] {
  return command.commands.map((sub) => sub.name());
}

/** `--receive` or `--receive=1`: the role, whatever value was given to it; "" for any other word. */
function roleIn(word: string): string {
  return word.startsWith("--") ? word.slice(2).split("=")[0]! : "";
}

/**
 * For a command that runs by itself and also has subcommands (`mailroom todo
 * [demo]`): a word after it is a mistyped subcommand, said as such, rather
 * than Commander's `too many arguments for 'todo'`. Give the action the
 * words first: `.argument("[words...]")`.
 */
export function refuseStrayWords(command: Command, words: readonly string[]): void {
  if (words.length === 0) return;
  const subcommands = command.commands.map((sub) => sub.name()).join("|");
  usageError(
    command,
    `'${words[0]}' is not a subcommand: mailroom ${command.name()} [${subcommands}] [options]`,
  );
}

/** Commander's own way out: one line, `(run with --help for usage)`, exit 2. */
function usageError(command: Command, message: string): never {
  command.error(`${command.name()}: ${message}`, { code: "mailroom.subcommandUsage" });
}

/** A word as it would be typed in a shell: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
