import type { Command } from "commander";

/**
 * The course's programs have multi-letter short options (`-rb`, `-mwr`...).
 * Commander reads `-rb` as `-r b` (a region of "b"), so before parsing the
 * entry point rewrites each registered short name into its long option.
 * Tables are per command: `-rb` may mean something else elsewhere.
 */
export type LegacyShortFlagTable = Readonly<Record<string, `--${string}`>>;

const tables = new Map<string, LegacyShortFlagTable>();

/**
 * Registers `table` (`{"-rb": "--request-bucket"}`) for `command` and lists
 * the short names in its help. Call it where the command is built, before
 * `expandLegacyShortFlags` runs.
 */
export function withLegacyShortFlags(command: Command, table: LegacyShortFlagTable): Command {
  for (const short of Object.keys(table)) {
    if (!/^-[A-Za-z]{2,}$/.test(short)) {
      throw new Error(`legacy short flag ${short} must be "-" and two or more letters`);
    }
  }
  tables.set(command.name(), { ...tables.get(command.name()), ...table });
  const lines = Object.entries(table).map(([short, long]) => `  ${short.padEnd(6)} ${long}`);
  return command.addHelpText("after", `\nCourse short options:\n${lines.join("\n")}`);
}

/**
 * Returns `argv` (`[node, script, command, ...args]`) with every registered
 * short name of that command replaced by its long option, `-rb=x` included.
 * Tokens after `--`, and all tokens of an unregistered command, stay as they are.
 */
export function expandLegacyShortFlags(argv: readonly string[]): string[] {
  const commandAt = argv.findIndex((arg, index) => index >= 2 && !arg.startsWith("-"));
  const table = commandAt === -1 ? undefined : tables.get(argv[commandAt]!);
  if (!table) return [...argv];
  let ended = false;
  return argv.map((arg, index) => {
    if (index <= commandAt || ended) return arg;
    if (arg === "--") {
      ended = true;
      return arg;
    }
    const equals = arg.indexOf("=");
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const long = Object.hasOwn(table, name) ? table[name] : undefined;
    return long === undefined ? arg : long + arg.slice(name.length);
  });
}
