import Database from "better-sqlite3";
import { StoreInUseError } from "./store-in-use-error.ts";

/**
 * Takes `<database>-lock`, a SQLite file held in exclusive locking mode, and
 * keeps it until the returned handle is closed: a second broker on the same
 * data dir fails here, in this process or another. The database itself
 * cannot be locked that way, because the checkpoint thread opens it too (see
 * WalCheckpointer). The operating system drops the lock when the process
 * dies, however it dies, so a killed broker never leaves its folder locked.
 */
export function lockStore(file: string): Database.Database {
  const lockFile = `${file}-lock`;
  // No busy timeout: a holder keeps the lock for its whole life, so waiting cannot help.
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE; COMMIT");
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: unknown }).code === "SQLITE_BUSY") {
      throw new StoreInUseError(file, { cause: error });
    }
    throw error;
  }
}
