import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";

/** Slots of the Int32Array that the broker and the checkpoint thread share. */
const SLOT = { commits: 0, state: 1, walFrames: 2, checkpointing: 3 } as const;

/** Values of the state slot, in the order they happen. */
const STATE = { starting: 0, running: 1, stopping: 2, stopped: 3 } as const;

/**
 * A pass at most this often. A pass copies the newest version of each page
 * written since the last, so rarer passes copy a page written many times
 * once rather than many times: in the shallow drain, passes every 50 ms cost
 * 19% more CPU per request than the broker's own 40 MB checkpoints did,
 * every 1,000 ms no more (bench/paired.ts, docs/benchmarks.md).
 */
const DEFAULT_PASS_INTERVAL_MS = 1000;

/**
 * A WAL this long (frames of one page, 40 MB at 4 KiB) is started over: the
 * length at which the broker's own connection used to checkpoint.
 */
const DEFAULT_RESTART_FRAMES = 10_000;

/** Longest wait in `close` for a pass in progress to finish. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The checkpoint thread's whole program. Plain JavaScript in a string: a
 * worker runs a file or a string of its own, outside the TypeScript loader
 * that `npm test` and edited trees run under. It sleeps until the broker
 * commits, runs a PASSIVE checkpoint (it copies what the WAL holds into the
 * database and never blocks the broker's writes), publishes the WAL's length,
 * and sleeps at least `passIntervalMs` before the next pass. A broker that
 * closes before the thread has started keeps it from opening the database.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { SLOT, STATE, file, synchronous, passIntervalMs, restartFrames } = workerData;
const shared = new Int32Array(workerData.shared);
let db;
try {
  if (Atomics.compareExchange(shared, SLOT.state, STATE.starting, STATE.running) === STATE.starting) {
    const Database = require(workerData.betterSqlite3);
    db = new Database(file, { timeout: 0 });
    db.pragma("synchronous = " + synchronous);
    const pass = () => db.pragma("wal_checkpoint(PASSIVE)")[0].log;
    while (Atomics.load(shared, SLOT.state) === STATE.running) {
      Atomics.wait(shared, SLOT.commits, 0);
      if (Atomics.load(shared, SLOT.state) !== STATE.running) break;
      Atomics.store(shared, SLOT.commits, 0);
      Atomics.store(shared, SLOT.checkpointing, 1);
      let walFrames = pass();
      // A WAL due to start over: copy at once what the first pass left,
      // so that the broker's connection has only the last few frames to copy.
      if (walFrames >= restartFrames) walFrames = pass();
      Atomics.store(shared, SLOT.checkpointing, 0);
      Atomics.store(shared, SLOT.walFrames, walFrames);
      Atomics.wait(shared, SLOT.state, STATE.running, passIntervalMs);
    }
  }
} catch (error) {
  // better-sqlite3's SqliteError reaches the broker as its code alone: an Error crosses whole.
  const plain = new Error(String((error && error.message) || error));
  if (error && error.code !== undefined) plain.code = error.code;
  throw plain;
} finally {
  if (db !== undefined) db.close();
  Atomics.store(shared, SLOT.state, STATE.stopped);
  Atomics.notify(shared, SLOT.state);
}
`;

export interface WalCheckpointerOptions {
  /** The WAL's length in frames (pages) at which it starts over. Default 10,000 (40 MB). */
  restartFrames?: number;
  /** Shortest time between two passes. Default 1,000 ms. */
  passIntervalMs?: number;
  /** Told once if the thread fails; the broker's connection then checkpoints in its commits. */
  onFailure?: (error: Error) => void;
}

/**
 * Copies the WAL into the database on a thread of its own, so that the
 * broker's event loop does not wait for checkpoints. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: copying a
 * 40 MB WAL stalled every request for about 50 ms, once every few seconds of
 * load (it was the shallow drain's maximum latency). The thread checkpoints
 * instead, with its own connection, at most once every `passIntervalMs` and
 * only after commits; each pass copies what was written since the last.
 *
 * SQLite starts the WAL over from its beginning only when a write begins with
 * every frame copied, which under steady load (a commit every turn) rarely
 * happens by itself. Once the thread reports a WAL of `restartFrames`, the
 * broker's connection copies the few frames written since the thread's last
 * pass itself, so that its next commit starts the WAL over.
 */
export class WalCheckpointer {
  private readonly shared = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly worker: Worker;
  private failed = false;

  private readonly restartFrames: number;

  /** `db` is the broker's connection, to a database in WAL mode. */
  constructor(
    private readonly db: Database,
    options: WalCheckpointerOptions = {},
  ) {
    this.restartFrames = options.restartFrames ?? DEFAULT_RESTART_FRAMES;
    const synchronous = db.pragma("synchronous", { simple: true }) === 2 ? "FULL" : "NORMAL";
    db.pragma("wal_autocheckpoint = 0");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        SLOT,
        STATE,
        file: db.name,
        synchronous,
        passIntervalMs: options.passIntervalMs ?? DEFAULT_PASS_INTERVAL_MS,
        restartFrames: this.restartFrames,
        betterSqlite3: createRequire(import.meta.url).resolve("better-sqlite3"),
        shared: this.shared.buffer,
      },
      // It only checkpoints: a small heap keeps the broker's memory down.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    // Never what keeps a broker running.
    this.worker.unref();
    this.worker.on("error", (error: unknown) => {
      // The broker's connection checkpoints again, in its commits, as SQLite does by default.
      this.failed = true;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.restartFrames}`);
      options.onFailure?.(asError(error));
    });
  }

  /** Call after each commit: wakes the thread if it waits for one, and restarts a long WAL. Never throws. */
  committed(): void {
    if (Atomics.add(this.shared, SLOT.commits, 1) === 0) {
      Atomics.notify(this.shared, SLOT.commits);
    }
    if (
      Atomics.load(this.shared, SLOT.walFrames) >= this.restartFrames &&
      Atomics.load(this.shared, SLOT.checkpointing) === 0 &&
      !this.failed
    ) {
      Atomics.store(this.shared, SLOT.walFrames, 0);
      try {
        // Busy (the thread began a pass meanwhile) leaves the restart to a later pass.
        this.db.pragma("wal_checkpoint(PASSIVE)");
      } catch {
        // So does an error: the commit before it stands, and the thread's next pass tries again.
      }
    }
  }

  /**
   * Stops the thread, and waits (synchronously, up to CLOSE_TIMEOUT_MS) until
   * it has closed its connection, so that the broker's connection, closing
   * last, checkpoints what is left and removes the WAL. Call before closing
   * the broker's connection.
   */
  close(): void {
    const previous = Atomics.exchange(this.shared, SLOT.state, STATE.stopping);
    Atomics.add(this.shared, SLOT.commits, 1);
    Atomics.notify(this.shared, SLOT.commits);
    Atomics.notify(this.shared, SLOT.state);
    if (previous === STATE.running && !this.failed) {
      Atomics.wait(this.shared, SLOT.state, STATE.stopping, CLOSE_TIMEOUT_MS);
    }
  }
}

/** What the thread threw, as an Error: a value that is not one (it crossed threads) says what it holds. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new Error(typeof code === "string" ? code : (JSON.stringify(error) ?? String(error)));
}
