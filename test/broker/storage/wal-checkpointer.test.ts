import assert from "node:assert/strict";
import { existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import { WalCheckpointer } from "../../../src/broker/storage/wal-checkpointer.ts";

const PAGE_BYTES = 4096;

describe("WalCheckpointer", () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mailroom-checkpointer-"));
    file = join(dir, "test.db");
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)");
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `commits` transactions of a few fresh pages each, each followed by `checkpointer.committed()`. */
  function writeCommits(checkpointer: WalCheckpointer, commits: number, firstId: number): void {
    const insert = db.prepare("INSERT INTO rows (id, body) VALUES (?, ?)");
    const body = "x".repeat(1000);
    const commit = db.transaction((from: number) => {
      for (let id = from; id < from + 10; id++) insert.run(id, body);
    });
    for (let i = 0; i < commits; i++) {
      commit(firstId + i * 10);
      checkpointer.committed();
    }
  }

  async function eventually(condition: () => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (condition()) return;
      await sleep(25);
    }
    assert.fail(`never happened: ${what}`);
  }

  it("copies the WAL into the database on its own thread; the broker's connection never checkpoints", async () => {
    // Given a checkpointer on the connection (which turns its automatic checkpoints off)
    const checkpointer = new WalCheckpointer(db);
    try {
      assert.equal(db.pragma("wal_autocheckpoint", { simple: true }), 0);
      const emptySize = statSync(file).size;

      // When about 4 MB are committed
      writeCommits(checkpointer, 100, 0);

      // Then the rows reach the database file itself, without this connection checkpointing
      await eventually(() => statSync(file).size > emptySize + 100 * 10 * 1000, "rows in the file");
    } finally {
      checkpointer.close();
    }
  });

  it("starts a long WAL over, so that steady writes reuse it instead of growing it", async () => {
    // Given a checkpointer that restarts a WAL of 200 frames, its thread
    // started (on a loaded machine that can take a second, during which
    // nothing checkpoints: that is start-up, not the steady state measured)
    const checkpointer = new WalCheckpointer(db, { restartFrames: 200, passIntervalMs: 50 });
    try {
      const emptySize = statSync(file).size;
      const warmUpCommits = 5;
      writeCommits(checkpointer, warmUpCommits, 1_000_000);
      await eventually(() => statSync(file).size > emptySize, "the thread's first pass");

      // When 3,000 small commits each follow 0.5 ms of other work, as a busy
      // broker commits every turn (SQLite restarts a WAL by itself only when
      // a write begins with all of it copied, which needs a pause). The WAL
      // then peaks at about its 200 frames plus the frames of two pass
      // intervals: 350 to 600 measured, with two other cores' worth of load
      // too; at 0.2 ms a commit it reached 800, and 909 in a CI rehearsal
      // beside four other busy processes, whose load stretches the passes.
      // With no restart it holds every frame written, about 7,000.
      const insert = db.prepare("INSERT INTO rows (id, body) VALUES (?, ?)");
      const commits = 3000;
      for (let id = 0; id < commits; id++) {
        insert.run(id, "x".repeat(200));
        checkpointer.committed();
        const workUntil = performance.now() + 0.5;
        while (performance.now() < workUntil);
      }

      // Then the WAL file never held more than a fraction of the frames written (one or more a commit)
      const walFrames = statSync(`${file}-wal`).size / PAGE_BYTES;
      assert.ok(walFrames < commits / 2, `the WAL holds ${Math.round(walFrames)} frames`);
      assert.equal(
        db.prepare("SELECT count(*) FROM rows").pluck().get(),
        commits + warmUpCommits * 10,
      );
    } finally {
      checkpointer.close();
    }
  });

  it("closes its connection before close returns, so the broker's connection closes last and removes the WAL", async () => {
    // Given a checkpointer whose thread has started and checkpointed
    const checkpointer = new WalCheckpointer(db);
    const emptySize = statSync(file).size;
    writeCommits(checkpointer, 50, 0);
    await eventually(() => statSync(file).size > emptySize, "a first pass");

    // When it is closed, then the connection
    checkpointer.close();
    db.close();

    // Then no WAL is left behind, and the rows are all in the database
    assert.equal(existsSync(`${file}-wal`), false);
    const reopened = new Database(file, { readonly: true });
    try {
      assert.equal(reopened.prepare("SELECT count(*) FROM rows").pluck().get(), 500);
    } finally {
      reopened.close();
    }
  });

  it("closed before its thread has started, the thread never opens the database", () => {
    // Given a checkpointer closed in the same turn it was made
    const checkpointer = new WalCheckpointer(db);
    checkpointer.close();

    // When the connection writes and closes
    writeCommits(checkpointer, 1, 0);
    db.close();

    // Then it closed last: a thread that had opened the database would have kept the WAL
    assert.equal(existsSync(`${file}-wal`), false);
  });

  it("reports a thread that fails, and the connection goes back to checkpointing in its commits", async () => {
    // Given a checkpointer whose thread cannot open the database: its folder is gone
    // before the thread starts (the broker's connection keeps its open file)
    const failures: Error[] = [];
    const checkpointer = new WalCheckpointer(db, { onFailure: (error) => failures.push(error) });
    rmSync(dir, { recursive: true, force: true });
    try {
      // When the thread has tried
      await eventually(() => failures.length > 0, "a failure reported");

      // Then the failure was told once, and SQLite's own checkpoints are back on
      assert.equal(failures.length, 1);
      assert.match(failures[0]!.message, /unable to open|cannot open|no such file/i);
      assert.ok(Number(db.pragma("wal_autocheckpoint", { simple: true })) > 0);
    } finally {
      checkpointer.close();
    }
  });

  it("reports an SQLite error of the thread with its reason, which crossing threads used to lose", async () => {
    // Given a checkpointer whose thread opens a file that is not a database: one put in
    // the database's place, without its WAL (the broker's connection keeps its open files)
    writeFileSync(`${file}.garbage`, Buffer.alloc(2 * PAGE_BYTES, 0x55));
    renameSync(`${file}.garbage`, file);
    rmSync(`${file}-wal`);
    rmSync(`${file}-shm`);
    const failures: unknown[] = [];
    const checkpointer = new WalCheckpointer(db, { onFailure: (error) => failures.push(error) });
    try {
      // When the broker commits, waking it for a pass
      checkpointer.committed();
      await eventually(() => failures.length > 0, "a failure reported");

      // Then the failure is an Error saying what SQLite said
      assert.ok(failures[0] instanceof Error, `an Error, got ${JSON.stringify(failures[0])}`);
      assert.match(failures[0].message, /not a database/);
      assert.equal((failures[0] as Error & { code?: string }).code, "SQLITE_NOTADB");
    } finally {
      checkpointer.close();
    }
  });
});
