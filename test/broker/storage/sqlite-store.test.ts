import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { MessagePayload } from "../../../src/broker/engine/message-types.ts";
import { openSqliteDatabase } from "../../../src/broker/storage/sqlite-database.ts";
import { SCHEMA_VERSION } from "../../../src/broker/storage/sqlite-schema.ts";
import { SqliteStore } from "../../../src/broker/storage/sqlite-store.ts";
import type { SqliteStoreOptions } from "../../../src/broker/storage/sqlite-store.ts";
import { StoreInUseError } from "../../../src/broker/storage/store-in-use-error.ts";
import {
  committed,
  dedup,
  describeStoreContract,
  message,
  payload,
  queue,
} from "./store-contract.ts";

/** Records receives in a store of its own process, then dies by SIGKILL. */
const RECEIVE_THEN_KILL = fileURLToPath(new URL("processes/receive-then-kill.ts", import.meta.url));

describeSqliteContract("SqliteStore", {});
describeSqliteContract("SqliteStore without a payload cache", { payloadCacheBytes: 0 });

/** The store contract on a fresh database file, with these store options. */
function describeSqliteContract(name: string, options: Omit<SqliteStoreOptions, "file">): void {
  describeStoreContract(name, () => {
    const dir = mkdtempSync(join(tmpdir(), "mailroom-store-"));
    const file = join(dir, "broker.db");
    let store: SqliteStore | undefined;
    return {
      open: () => (store = new SqliteStore({ file, ...options })),
      reopen: (current) => {
        current.close();
        return (store = new SqliteStore({ file, ...options }));
      },
      dispose: () => {
        store?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

describe("SqliteStore", () => {
  let dir: string;
  let file: string;
  const opened: SqliteStore[] = [];
  const open = (options: Omit<SqliteStoreOptions, "file"> = {}): SqliteStore => {
    const store = new SqliteStore({ file, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mailroom-sqlite-"));
    file = join(dir, "data", "nested", "broker.db");
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the database's folder when it is missing", () => {
    open();
    assert.ok(existsSync(file));
  });

  describe("group commit", () => {
    it("writes nothing until the event loop turns, then calls back after the commit", async () => {
      const store = open();
      const walSize = (): number => statSync(`${file}-wal`).size;
      const before = walSize();
      let called = false;
      let sizeWhenCalled = 0;

      store.insertMessage(message(1), payload());
      store.whenCommitted(() => {
        called = true;
        sizeWhenCalled = walSize();
      });
      assert.equal(called, false, "not called back synchronously");
      assert.equal(walSize(), before, "nothing written yet");

      await committed(store);
      assert.ok(called);
      assert.ok(sizeWhenCalled > before, "the commit reached the file before the callback");
    });

    it("commits a turn's writes in the immediate scheduled by its first write", async () => {
      const store = open();
      const order: string[] = [];
      store.insertMessage(message(1), payload());
      setImmediate(() => order.push("an immediate queued after the first write"));
      store.insertMessage(message(2), payload());
      store.whenCommitted(() => order.push("committed"));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(order, ["committed", "an immediate queued after the first write"]);
    });
  });

  describe("payload cache", () => {
    it("serves a committed payload from memory until its message is deleted", async () => {
      const store = open();
      const sent = payload({ body: "kept" });
      store.insertMessage(message(1), sent);
      await committed(store);
      assert.equal(store.readPayload(1), sent, "the very object sent, not a row read back");

      store.deleteMessage(1);
      await committed(store);
      assert.equal(store.readPayload(1), undefined);
    });

    it("keeps only what fits in its budget and reads the rest from the database", async () => {
      const store = open({ payloadCacheBytes: 2_000 });
      const sent = Array.from({ length: 10 }, (_, i) => payload({ body: `body ${i}` }));
      sent.forEach((p, i) => store.insertMessage(message(i + 1), p));
      await committed(store);

      const fromMemory = sent.filter((p, i) => store.readPayload(i + 1) === p).length;
      assert.ok(fromMemory > 0 && fromMemory < 10, `${fromMemory} of 10 in memory`);
      sent.forEach((p, i) => assert.deepEqual(store.readPayload(i + 1), p));

      // Deleting the cached ones makes room for later sends.
      sent.forEach((_, i) => store.deleteMessage(i + 1));
      const later = payload({ body: "later" });
      store.insertMessage(message(11), later);
      await committed(store);
      assert.equal(store.readPayload(11), later);
    });

    it("forgets everything a purge or a queue removal deletes, buffered or committed", async () => {
      const store = open();
      store.insertMessage(message(1), payload());
      await committed(store);
      store.purgeMessages(message(1).queueId, 1);
      assert.equal(store.readPayload(1), undefined, "purge not yet committed");
      await committed(store);
      assert.equal(store.readPayload(1), undefined);

      store.insertMessage(message(2, { queueId: 7 }), payload());
      await committed(store);
      store.removeQueue(7);
      assert.equal(store.readPayload(2), undefined, "removal not yet committed");
      await committed(store);
      assert.equal(store.readPayload(2), undefined);
    });
  });

  describe("failures", () => {
    it("a write SQLite rejects fails its whole commit, reported to every waiting callback", async () => {
      const store = open();
      store.insertMessage(message(1), payload({ body: "innocent bystander" }));
      // NOT NULL: what a bug upstream, or a full disk, would look like to the database.
      store.insertMessage(message(2), { ...payload(), body: null } as unknown as MessagePayload);
      const errors: Array<Error | undefined> = [];
      store.whenCommitted((error) => errors.push(error));
      store.whenCommitted((error) => errors.push(error));
      await new Promise((resolve) => setImmediate(resolve));

      assert.equal(errors.length, 2);
      for (const error of errors) assert.match(String(error), /NOT NULL/);
      assert.equal(store.readPayload(1), undefined, "rolled back with the rest of its commit");
    });

    it("after a failed commit, every caller gets its error and nothing more is written", async () => {
      // Given commits that landed, then one that failed
      const store = open();
      for (let seq = 1; seq <= 3; seq++) store.insertMessage(message(seq), payload());
      await committed(store);
      const broken = { ...payload(), body: null } as unknown as MessagePayload;
      store.insertMessage(message(4, { groupId: "g" }), broken);
      await assert.rejects(committed(store), /NOT NULL/);

      // When a caller waits with nothing of its own to write (a retried send that
      // memory finds a duplicate of the failed one), or writes again
      await assert.rejects(committed(store), /a write to the database failed.*NOT NULL.*restarted/);
      store.insertMessage(message(10), payload());
      await assert.rejects(committed(store), /a write to the database failed/);

      // Then a restart serves what was committed before the failure, and only that
      store.close();
      assert.deepEqual(
        [...open().load().messages].map((record) => record.seq),
        [1, 2, 3],
      );
    });

    it("writes after close reach whenCommitted as an error instead of throwing", async () => {
      const store = open();
      store.close();
      store.insertMessage(message(1), payload());
      await assert.rejects(committed(store), /closed/);
    });

    it("closing twice is harmless", () => {
      const store = open();
      store.close();
      store.close();
    });

    it("a second store cannot open a database that is in use", () => {
      open();
      assert.throws(
        () => new SqliteStore({ file }),
        (error) =>
          error instanceof StoreInUseError && /in use by another process/.test(error.message),
      );
    });
  });

  it("runs beforeCommit work in the commit of the turn, before its callbacks", async () => {
    // Given a write and its waiting callback, and work scheduled after them
    const store = open();
    const calls: string[] = [];
    store.insertMessage(message(1), payload());
    store.whenCommitted(() =>
      calls.push(`committed, message 2 ${store.readPayload(2) ? "in" : "missing"}`),
    );
    store.beforeCommit(() => {
      calls.push("work");
      store.insertMessage(message(2), payload());
    });

    // When the turn ends
    await committed(store);

    // Then the work ran first and its write was committed with the rest: nothing is left pending
    assert.deepEqual(calls, ["work", "committed, message 2 in"]);
    let pending = true;
    store.whenCommitted(() => (pending = false));
    assert.equal(pending, false);
  });

  describe("schema", () => {
    it("records its version and refuses a database written by a newer Mailroom", () => {
      open().close();
      const db = new Database(file);
      assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();

      assert.throws(() => open(), /schema version/);
    });

    it("migrates a version 1 database, keeping its data and its highest seq", () => {
      // Given a database as the first schema left it
      mkdirSync(dirname(file), { recursive: true });
      const db = new Database(file);
      db.exec(`
        CREATE TABLE queues (id INTEGER PRIMARY KEY, name TEXT NOT NULL, attributes TEXT NOT NULL,
          tags TEXT NOT NULL, created_at INTEGER NOT NULL, last_modified_at INTEGER NOT NULL,
          last_purged_at INTEGER NOT NULL) STRICT;
        CREATE TABLE messages (seq INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL,
          sent_at INTEGER NOT NULL, visible_at INTEGER NOT NULL, receive_count INTEGER NOT NULL,
          first_received_at INTEGER NOT NULL, last_received_at INTEGER NOT NULL, group_id TEXT,
          dead_letter_source_arn TEXT, message_id TEXT NOT NULL, sender_id TEXT NOT NULL,
          md5_of_body TEXT NOT NULL, md5_of_message_attributes TEXT, md5_of_system_attributes TEXT,
          deduplication_id TEXT, system_attributes TEXT, message_attributes TEXT,
          body TEXT NOT NULL) STRICT;
        CREATE INDEX messages_by_queue ON messages (queue_id);
        CREATE TABLE dedup_entries (queue_id INTEGER NOT NULL, key TEXT NOT NULL,
          message_id TEXT NOT NULL, seq INTEGER NOT NULL, expires_at INTEGER NOT NULL,
          PRIMARY KEY (queue_id, key)) STRICT, WITHOUT ROWID;
        CREATE INDEX dedup_entries_by_expiry ON dedup_entries (expires_at);
        INSERT INTO messages VALUES (5, 1, 1, 1, 0, 0, 0, NULL, NULL, 'id-5', 'sender', 'md5',
          NULL, NULL, NULL, NULL, NULL, 'old body');
        INSERT INTO dedup_entries VALUES (1, 'k', 'id-9', 9, 1700000300000);
        PRAGMA user_version = 1;
      `);
      db.close();

      // When the store opens it
      const store = open();

      // Then the data is there and seqs continue above the highest one it held
      const state = store.load();
      assert.deepEqual(
        [...state.messages].map((record) => record.seq),
        [5],
      );
      assert.equal(store.readPayload(5)?.body, "old body");
      assert.ok((state.highestSeq ?? 0) >= 9);
      assert.deepEqual(
        state.dedupEntries,
        [dedup(1, "k", 9)].map((d) => ({ ...d, messageId: "id-9" })),
      );
    });
  });

  it("fsync selects synchronous=FULL, the default NORMAL", () => {
    for (const [fsync, expected] of [
      [false, 1],
      [true, 2],
    ] as const) {
      const { db, lock } = openSqliteDatabase(join(dir, `sync-${fsync}.db`), fsync);
      try {
        assert.equal(db.pragma("synchronous", { simple: true }), expected);
        assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      } finally {
        db.close();
        lock.close();
      }
    }
  });

  it("loads many chunks of messages in order, with quoted and unicode group ids", async () => {
    let store = open();
    const count = 10_000;
    const groupId = (seq: number): string | undefined =>
      seq % 3 === 0 ? `group "${seq}" \\ ✓ 🚀` : undefined;
    for (let seq = 1; seq <= count; seq++) {
      const group = groupId(seq);
      store.insertMessage(message(seq, group === undefined ? {} : { groupId: group }), payload());
    }
    store.putDedupEntry(dedup(1, "a", 1));
    await committed(store);
    store.close();
    store = open();

    let expected = 1;
    for (const record of store.load().messages) {
      const group = groupId(expected);
      assert.deepEqual(record, message(expected, group === undefined ? {} : { groupId: group }));
      expected++;
    }
    assert.equal(expected, count + 1);
  });

  it("writes every payload of a large commit, plain and attributed ones mixed", async () => {
    // Given 203 messages in one commit, every seventh with attributes
    let store = open({ payloadCacheBytes: 0 });
    const count = 203;
    const payloadOf = (seq: number): MessagePayload =>
      seq % 7 === 0
        ? payload({
            body: `attributed ${seq}`,
            messageAttributes: { n: { DataType: "Number", StringValue: String(seq) } },
            md5OfMessageAttributes: `md5-${seq}`,
          })
        : payload({ body: `plain ${seq} ✓` });
    for (let seq = 1; seq <= count; seq++) store.insertMessage(message(seq), payloadOf(seq));
    await committed(store);

    // When the store is opened again
    store.close();
    store = open({ payloadCacheBytes: 0 });

    // Then every message and payload reads back as written
    assert.deepEqual(
      [...store.load().messages].map((record) => record.seq),
      Array.from({ length: count }, (_, i) => i + 1),
    );
    for (let seq = 1; seq <= count; seq++) assert.deepEqual(store.readPayload(seq), payloadOf(seq));
  });

  it("loads dedup entries in the order they were put, the latest put of a key replacing earlier ones", async () => {
    // Given entries put over several commits, one key put again after it expired
    let store = open();
    store.putDedupEntry(dedup(1, "z", 1, 1_700_000_100_000));
    store.putDedupEntry(dedup(1, "a", 2, 1_700_000_200_000));
    await committed(store);
    store.putDedupEntry(dedup(2, "m", 3, 1_700_000_300_000));
    store.putDedupEntry(dedup(1, "z", 4, 1_700_000_400_000));
    await committed(store);
    store.close();

    // When the store is opened again
    store = open();

    // Then each key comes back once, in put (and so expiry) order
    assert.deepEqual(store.load().dedupEntries, [
      dedup(1, "a", 2, 1_700_000_200_000),
      dedup(2, "m", 3, 1_700_000_300_000),
      dedup(1, "z", 4, 1_700_000_400_000),
    ]);

    // And pruning what expired by the first put of "z" leaves its latest put
    store.pruneDedupEntries(1_700_000_200_000);
    await committed(store);
    assert.deepEqual(store.load().dedupEntries, [
      dedup(2, "m", 3, 1_700_000_300_000),
      dedup(1, "z", 4, 1_700_000_400_000),
    ]);
  });

  describe("receives from standard queues (recordReceive)", () => {
    /** Runs processes/receive-then-kill.ts on this test's file; returns what it printed. */
    const receiveThenKill = (delayMs: number, waitMs: number): { answeredAtOnce: boolean } => {
      mkdirSync(dirname(file), { recursive: true });
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", RECEIVE_THEN_KILL, file, String(delayMs), String(waitMs)],
        { encoding: "utf8", timeout: 20_000 },
      );
      assert.equal(child.signal, "SIGKILL", `killed as planned; stderr: ${child.stderr}`);
      return JSON.parse(child.stdout) as { answeredAtOnce: boolean };
    };

    it("are answered without waiting for a commit, and written once their delay has passed", () => {
      // Given a store that received message 1, and received then deleted message 2,
      // and was killed 400 ms later with a 50 ms delay
      const printed = receiveThenKill(50, 400);

      // Then the receive needed no commit, and only message 1 is left, received
      assert.equal(printed.answeredAtOnce, true);
      const store = open();
      assert.deepEqual(
        [...store.load().messages],
        [message(1, { receiveCount: 1, visibleAt: 1_700_000_030_000 })],
      );
    });

    it("a crash within the delay loses the receive: the message comes back as it was before", () => {
      // Given the same, killed 100 ms after with a 60 s delay
      receiveThenKill(60_000, 100);

      // Then message 1 is there, never received (a repeat delivery, as at-least-once allows),
      // and the delete of message 2 was kept
      const store = open();
      assert.deepEqual([...store.load().messages], [message(1)]);
    });

    it("with a delay of 0 a receive is written in its own commit", async () => {
      const store = open({ receiveWriteDelayMs: 0 });
      store.insertMessage(message(1), payload());
      await committed(store);
      store.recordReceive(message(1, { receiveCount: 1 }));
      let answeredAtOnce = false;
      store.whenCommitted(() => (answeredAtOnce = true));
      assert.equal(answeredAtOnce, false, "the answer waits for the commit");
      await committed(store);
    });
  });

  it("keeps everything across many close and reopen cycles", async () => {
    let store = open();
    store.putQueue(queue(1));
    for (let round = 1; round <= 3; round++) {
      store.insertMessage(message(round), payload({ body: `round ${round}` }));
      await committed(store);
      store.close();
      store = open();
    }
    assert.deepEqual(
      [1, 2, 3].map((seq) => store.readPayload(seq)?.body),
      ["round 1", "round 2", "round 3"],
    );
    assert.ok((store.load().highestSeq ?? 0) >= 3);
  });

  it("leases seqs ahead: the high-water mark moves once per lease, not with every commit", async () => {
    let store = open();
    store.insertMessage(message(1), payload());
    await committed(store);
    store.close();
    store = open();
    const lease = store.load().highestSeq ?? 0;
    assert.ok(lease > 1, "leased beyond the seq inserted");

    store.insertMessage(message(2), payload());
    store.deleteMessage(1);
    await committed(store);
    store.close();
    store = open();
    assert.equal(store.load().highestSeq, lease, "still within the lease");

    store.insertMessage(message(lease + 1), payload());
    store.deleteMessage(lease + 1);
    await committed(store);
    store.close();
    store = open();
    assert.ok((store.load().highestSeq ?? 0) > lease + 1, "a seq beyond the lease extends it");
  });
});
