import path from "node:path";
import Database from "better-sqlite3";
import { AppError } from "./app-error.ts";
import { folderProblem } from "./folder-problem.ts";
import { makeFoldersSync } from "./make-folders.ts";

/** How long a process waits for another one holding the write lock. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating it and its folder) an SQLite file that several processes
 * share: WAL, so readers run beside the one writer, and `synchronous =
 * NORMAL`, so a commit costs no fsync (a crashed process loses nothing; a
 * crashed machine may lose the last commits).
 */
export function openSharedSqlite(file: string): Database.Database {
  const folder = path.dirname(path.resolve(file));
  let db: Database.Database | undefined;
  try {
    makeFoldersSync(folder);
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    return db;
  } catch (error) {
    db?.close();
    throw new AppError(`cannot open ${file}: ${folderProblem(error, folder)}`, 1, { cause: error });
  }
}
