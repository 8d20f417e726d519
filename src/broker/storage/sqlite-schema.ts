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
