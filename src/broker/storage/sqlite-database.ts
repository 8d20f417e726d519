import { dirname } from "node:path";
import Database from "better-sqlite3";
import { DataDirError } from "./data-dir-error.ts";
import { ensureDirectory } from "./ensure-directory.ts";
import { migrate } from "./sqlite-schema.ts";
import { StoreInUseError } from "./store-in-use-error.ts";

/**
 * Reads are mapped up to this size of file; beyond it SQLite reads the rest
 * as usual. Mapped pages count in the broker's RSS, so the map stays small:
 * enough for the recently written pages receives read back.
 */
const MMAP_BYTES = 128 << 20;

/**
 * Opens (creating it and its folder when missing) a database for the broker,
 * takes it for this process alone, and brings its schema up to date.
 *
 * - Exclusive locking: the broker is the database's only user, and taking
 *   the file lock once instead of around every statement makes a point read
 *   about three times faster (measured 4.5 µs -> 1.5 µs). It also stops a
 *   second broker from opening the same folder.
 * - WAL: a commit appends to one file.
 * - `synchronous=NORMAL` syncs only at checkpoints: a commit survives the
 *   process being killed, not the machine losing power; `fsync`
 *   (`synchronous=FULL`) syncs every commit for that.
 * - Memory-mapped reads skip a system call and a copy per page read:
 *   random payload reads measured about 35% faster.
 */
export function openSqliteDatabase(file: string, fsync: boolean): Database.Database {
  const dir = dirname(file);
  let db: Database.Database;
  try {
    ensureDirectory(dir);
    // No busy timeout: nobody else may hold the lock, so waiting cannot help.
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new DataDirError(dir, error);
  }
  try {
    // Before WAL mode is entered, so that the WAL index lives in heap memory.
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${fsync ? "FULL" : "NORMAL"}`);
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    // Fewer, larger checkpoints (40 MB of WAL instead of 4): measured about
    // 15% less time per batched insert.
    db.pragma("wal_autocheckpoint = 10000");
    // Takes the lock now rather than at the first commit, so a second opener fails here.
    db.exec("BEGIN IMMEDIATE; COMMIT");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_BUSY") throw new StoreInUseError(file, { cause: error });
    if (typeof code === "string" && code.startsWith("SQLITE_")) throw new DataDirError(dir, error);
    throw error;
  }
}
