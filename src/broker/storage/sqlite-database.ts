import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./sqlite-schema.ts";

/**
 * Opens (creating it and its folder when missing) a database for the broker
 * and brings its schema up to date.
 *
 * WAL lets a commit append to one file. `synchronous=NORMAL` syncs only at
 * checkpoints: a commit survives the process being killed, not the machine
 * losing power; `fsync` (`synchronous=FULL`) syncs every commit for that.
 */
export function openSqliteDatabase(file: string, fsync: boolean): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${fsync ? "FULL" : "NORMAL"}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
