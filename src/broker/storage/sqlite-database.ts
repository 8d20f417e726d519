import { dirname } from "node:path";
import Database from "better-sqlite3";
import { asDataDirError, DataDirError } from "./data-dir-error.ts";
import { ensureDirectory } from "./ensure-directory.ts";
import { migrate } from "./sqlite-schema.ts";
import { StoreInUseError } from "./store-in-use-error.ts";
import { lockStore } from "./store-lock.ts";

/**
 * Reads are mapped up to this size of file; beyond it SQLite reads the rest
 * as usual. Mapped pages count in the broker's RSS, so the map stays small:
 * enough for the recently written pages receives read back.
 */
const MMAP_BYTES = 128 << 20;

/** A database opened for the broker, and the lock that makes it the broker's alone. */
export interface BrokerDatabase {
  db: Database.Database;
  /** Close after `db`: until then a second broker on the folder fails with StoreInUseError. */
  lock: Database.Database;
}

/**
 * Opens (creating it and its folder when missing) a database for the broker,
 * takes its folder for this process alone (see lockStore), and brings its
 * schema up to date.
 *
 * - WAL: a commit appends to one file. Checkpoints, which copy the WAL into
 *   the database, are the WalCheckpointer's, on a thread of its own.
 * - `synchronous=NORMAL` syncs only at checkpoints: a commit survives the
 *   process being killed, not the machine losing power; `fsync`
 *   (`synchronous=FULL`) syncs every commit for that.
 * - Memory-mapped reads skip a system call and a copy per page read:
 *   random payload reads measured about 35% faster.
 */
export function openSqliteDatabase(file: string, fsync: boolean): BrokerDatabase {
  const dir = dirname(file);
  let lock: Database.Database;
  let db: Database.Database;
  try {
    ensureDirectory(dir);
    lock = lockStore(file);
  } catch (error) {
    if (error instanceof StoreInUseError) throw error;
    throw new DataDirError(dir, error);
  }
  try {
    // No busy timeout: the checkpoint thread never takes the write lock, so nobody else waits on it.
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    lock.close();
    throw new DataDirError(dir, error);
  }
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${fsync ? "FULL" : "NORMAL"}`);
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    migrate(db);
    assertWritable(db);
    return { db, lock };
  } catch (error) {
    db.close();
    lock.close();
    throw asDataDirError(dir, error);
  }
}

/**
 * SQLite opens a file it may not write read-only, without a word, and an
 * up-to-date schema writes nothing: the broker would start and then fail
 * every request. Rewriting the schema version, unchanged, is a write that
 * fails at once (SQLITE_READONLY) instead.
 */
function assertWritable(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  db.pragma(`user_version = ${version}`);
}
