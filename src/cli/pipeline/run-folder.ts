import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { lockStore } from "../../broker/storage/store-lock.ts";
import { StoreInUseError } from "../../broker/storage/store-in-use-error.ts";
import { CliError } from "../cli-error.ts";
import { makeFoldersSync } from "../../apps/make-folders.ts";

/** Held (a SQLite file in exclusive locking mode) for as long as a pipeline uses the folder. */
const LOCK_NAME = "pipeline";
const LOCK_FILE = `${LOCK_NAME}-lock`;
/** SQLite keeps a journal beside the lock file while it is held. */
const LOCK_FILES = [LOCK_FILE, `${LOCK_FILE}-journal`];

/** What a run leaves in its folder: the broker's data, the widgets, their states, the consumers' logs. */
const RUN_ENTRIES = new Set(["broker", "widgets", ".mailroom", "consumers", ...LOCK_FILES]);

/**
 * Only a pipeline makes these; `widgets/` and `.mailroom/` alone are what
 * `mailroom consumer --widget-dir` leaves, and are not a run's to empty.
 */
const MADE_BY_A_RUN = ["broker", "consumers", LOCK_FILE];

/**
 * Takes the run folder for a new run: creates it if need be, locks it, and
 * empties it. Since its contents are removed, it must hold nothing but an
 * earlier run's files (`--data-dir .` or a home folder is refused, never
 * wiped), and no other pipeline may be using it (a second `npm start`
 * would wipe the first one's broker and widgets from under it). The lock
 * is dropped when the handle is released, or the process ends.
 */
export function prepareRunFolder(dir: string): { release(): void } {
  const entries = existingEntries(dir);
  const foreign = entries.filter((name) => !RUN_ENTRIES.has(name)).sort();
  if (foreign.length > 0) {
    throw notARunFolder(dir, `holds files a pipeline run did not make (${listed(foreign)})`);
  }
  if (entries.length > 0 && !entries.some((name) => MADE_BY_A_RUN.includes(name))) {
    throw notARunFolder(
      dir,
      `holds ${listed(entries.sort())} but no pipeline run (a consumer's --widget-dir, perhaps)`,
    );
  }
  const lock = lockRunFolder(dir);
  for (const name of entries) {
    if (!LOCK_FILES.includes(name)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return { release: () => lock.close() };
}

function notARunFolder(dir: string, holds: string): CliError {
  return new CliError(
    `--data-dir ${dir} ${holds}, and a run empties its folder first: give a new or empty folder`,
    2,
  );
}

/** Up to three names, quoted, and how many more. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => JSON.stringify(name));
  if (names.length > 3) shown.push(`${names.length - 3} more`);
  return shown.join(", ");
}

function existingEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      makeFoldersSync(dir);
      return [];
    }
    if (code === "ENOTDIR") {
      // ENOTDIR: the folder itself, or one above it, is a file.
      throw new CliError(`--data-dir ${dir}: it, or a folder above it, is a file`, 2);
    }
    throw error;
  }
}

function lockRunFolder(dir: string): Database.Database {
  try {
    return lockStore(join(dir, LOCK_NAME));
  } catch (error) {
    if (!(error instanceof StoreInUseError)) throw error;
    throw new CliError(
      `--data-dir ${dir} is in use by another pipeline that is still running ` +
        "(with --keep-up, until it is stopped): stop it, or give another --data-dir",
    );
  }
}
