import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { CliError } from "../cli-error.ts";

/** What a run leaves in its folder: the broker's data, the widgets, their states, the consumers' logs. */
const RUN_ENTRIES = new Set(["broker", "widgets", ".mailroom", "consumers"]);

/**
 * Empties the run folder for a new run, creating it if need be. Since the
 * folder is removed as a whole, it must hold nothing but an earlier run's
 * files: `--data-dir .` or a home folder is refused, never wiped.
 */
export function prepareRunFolder(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      mkdirSync(dir, { recursive: true });
      return;
    }
    if (code === "ENOTDIR") {
      // ENOTDIR: the folder itself, or one above it, is a file.
      throw new CliError(`--data-dir ${dir}: it, or a folder above it, is a file`, 2);
    }
    throw error;
  }
  const foreign = entries.filter((name) => !RUN_ENTRIES.has(name)).sort();
  if (foreign.length > 0) {
    const named = foreign.slice(0, 3).map((name) => JSON.stringify(name));
    if (foreign.length > 3) named.push(`${foreign.length - 3} more`);
    throw new CliError(
      `--data-dir ${dir} holds files a pipeline run did not make (${named.join(", ")}), ` +
        "and a run empties its folder first: give a new or empty folder",
      2,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
