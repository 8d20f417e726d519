import type { Database } from "better-sqlite3";

/**
 * The schema, as the migrations that build it: `MIGRATIONS[v]` takes a
 * database from version `v` to `v + 1` (`PRAGMA user_version`; 0 is an empty
 * file). Add a migration, never edit a released one.
 *
 * Columns hold what the engine needs and nothing it can recompute. Messages
 * are keyed by `seq` (the rowid, so lookups by seq are one B-tree descent);
 * the delivery-state columns come first and the body last, so that a
 * `load()`, which reads only the former, does not touch overflow pages of
 * large bodies. Attributes are JSON text (see attribute-codec.ts).
 */
const MIGRATIONS: readonly string[] = [
  // 1: queues, messages, dedup entries.
  `
  CREATE TABLE queues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_modified_at INTEGER NOT NULL,
    last_purged_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    queue_id INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL,
    first_received_at INTEGER NOT NULL,
    last_received_at INTEGER NOT NULL,
    group_id TEXT,
    dead_letter_source_arn TEXT,
    message_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    md5_of_body TEXT NOT NULL,
    md5_of_message_attributes TEXT,
    md5_of_system_attributes TEXT,
    deduplication_id TEXT,
    system_attributes TEXT,
    message_attributes TEXT,
    body TEXT NOT NULL
  ) STRICT;
  -- For PurgeQueue and DeleteQueue.
  CREATE INDEX messages_by_queue ON messages (queue_id);

  CREATE TABLE dedup_entries (
    queue_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, key)
  ) STRICT, WITHOUT ROWID;
  -- Pruning runs every few seconds, over as many entries as five minutes of FIFO sends.
  CREATE INDEX dedup_entries_by_expiry ON dedup_entries (expires_at);
  `,
  // 2: the highest seq ever used, so that seqs keep growing after a restart
  // even when every message is gone. And no index on messages.queue_id: it
  // cost every insert and delete about a quarter more (measured), for
  // PurgeQueue and DeleteQueue, which are rare and may scan instead (about
  // 0.25 s per million messages).
  `
  DROP INDEX messages_by_queue;

  CREATE TABLE high_water (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
  ) STRICT;
  INSERT INTO high_water (id, seq) VALUES (1, max(
    coalesce((SELECT max(seq) FROM messages), 0),
    coalesce((SELECT max(seq) FROM dedup_entries), 0)
  ));
  `,
  // 3: dedup entries in the order they were put (the rowid), not keyed by
  // (queue_id, key). Keys are SHA-256 hex or client ids, so keyed inserts
  // landed on random pages of the B-tree, and every commit of FIFO sends
  // wrote a page per entry: measured 19-25 µs per entry, against 6 µs
  // appended. Nothing looks an entry up by key on disk (the engine keeps them
  // in memory); a later put of the same key supersedes the earlier row when
  // loading (see SqliteStatements.dedupEntries), and both expire by time.
  // DeleteQueue now scans the table for the queue's entries, as it already
  // does the messages.
  `
  ALTER TABLE dedup_entries RENAME TO dedup_entries_v2;
  DROP INDEX dedup_entries_by_expiry;
  CREATE TABLE dedup_entries (
    queue_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX dedup_entries_by_expiry ON dedup_entries (expires_at);
  INSERT INTO dedup_entries (queue_id, key, message_id, seq, expires_at)
    SELECT queue_id, key, message_id, seq, expires_at FROM dedup_entries_v2 ORDER BY expires_at, seq;
  DROP TABLE dedup_entries_v2;
  `,
  // 4: engine records (see BrokerStore.putEngineRecord): message move tasks
  // and recently deleted queue names, so that both outlive a restart.
  `
  CREATE TABLE engine_records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, key)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to `SCHEMA_VERSION`, in one transaction; refuses a newer one. */
export function migrate(db: Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `${db.name} has schema version ${version}; this Mailroom reads up to version ${SCHEMA_VERSION}`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let next = version; next < SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
