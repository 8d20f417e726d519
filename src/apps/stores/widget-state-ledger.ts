import type Database from "better-sqlite3";
import type { Statement, Transaction } from "better-sqlite3";
import { BUSY_TIMEOUT_MS, openSharedSqlite } from "../sqlite-file.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import { widgetStateFromJson, widgetStateToJson } from "./widget-state-json.ts";

/** Decides a widget's next state from the stored one; `undefined` leaves it as it is. */
export type StateStep = (stored: WidgetState | undefined) => WidgetState | undefined;

/** One widget's change in {@link WidgetStateLedger.updateAll}. */
export interface LedgerChange {
  readonly widgetId: string;
  readonly step: StateStep;
}

/** What a change's `step` threw; nothing of that change was saved. */
export interface LedgerChangeFailure {
  readonly error: unknown;
}

/**
 * The state of each widget of a local folder store (`widgets/widget-state.ts`),
 * deletes included, in one SQLite file that any number of consumer processes
 * share.
 *
 * One file rather than a file per widget because creating small files is the
 * dearest thing a consumer does on a disk file system (measured on this VM's
 * ext4: 0.04-0.9 ms per temp-file-and-rename, against 0.02 ms for an upsert;
 * see docs/benchmarks.md). WAL mode lets readers run beside the one writer;
 * `synchronous = NORMAL` commits without an fsync, the same promise the
 * widget files make (a process crash loses nothing, a machine crash may lose
 * the last writes).
 */
export class WidgetStateLedger {
  private readonly db: Database.Database;
  private readonly selectState: Statement<[string], { state: string }>;
  private readonly upsertState: Statement<[string, string]>;
  private readonly updateInTransaction: Transaction<
    (changes: readonly LedgerChange[]) => (LedgerChangeFailure | undefined)[]
  >;

  constructor(private readonly file: string) {
    this.db = openSharedSqlite(file);
    // A rowid table, unlike the ledger of small rows this replaced: states run
    // to a KiB or more, and WITHOUT ROWID B-trees carry whole rows in their
    // interior pages (measured here: 232 µs per change against 61 µs).
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS widget_states (
         widget_id TEXT PRIMARY KEY,
         state TEXT NOT NULL
       )`,
    );
    this.selectState = this.db.prepare("SELECT state FROM widget_states WHERE widget_id = ?");
    this.upsertState = this.db.prepare(
      `INSERT INTO widget_states (widget_id, state) VALUES (?, ?)
       ON CONFLICT (widget_id) DO UPDATE SET state = excluded.state`,
    );
    // A step only decides; the one write comes after it. So a step that
    // throws has written nothing and is left out alone, with no savepoint
    // (which would cost as much as the change). A failing write fails the
    // whole transaction.
    this.updateInTransaction = this.db.transaction((changes: readonly LedgerChange[]) =>
      changes.map(({ widgetId, step }) => {
        let next;
        try {
          next = step(this.read(widgetId));
        } catch (error) {
          return { error };
        }
        if (next !== undefined) this.upsertState.run(widgetId, widgetStateToJson(next));
        return undefined;
      }),
    );
  }

  /** The widget's state; `undefined` when the ledger has none. */
  read(widgetId: string): WidgetState | undefined {
    const row = this.selectState.get(widgetId);
    return row === undefined
      ? undefined
      : widgetStateFromJson(row.state, `The state of widget ${widgetId} in ${this.file}`);
  }

  /**
   * Runs each change's `step` on its widget's state, in order, while holding
   * the ledger's write lock (`BEGIN IMMEDIATE`) once for them all, and saves
   * the states they return (`undefined`: no change). No other process
   * changes any widget meanwhile, so whatever a `step` does besides (writing
   * the widget's file) happens in the same order as the states.
   *
   * Returns, for each change, its failure (what its `step` threw; nothing of
   * that change is saved) or `undefined`. Throws when the transaction itself fails (the lock was
   * not had within the busy timeout, the disk is full): then nothing is saved.
   */
  updateAll(changes: readonly LedgerChange[]): (LedgerChangeFailure | undefined)[] {
    return this.updateInTransaction.immediate(changes);
  }

  /**
   * {@link updateAll} if the write lock is free now; `undefined`, with
   * nothing run or saved, while another process holds it. For callers that
   * wait better than SQLite's busy handler, which sleeps 1, 2, 5, 10 ms and
   * longer between tries: consumers sharing a folder hold the lock a
   * millisecond or two at a time, and those sleeps left a core idle.
   */
  tryUpdateAll(changes: readonly LedgerChange[]): (LedgerChangeFailure | undefined)[] | undefined {
    this.db.pragma("busy_timeout = 0");
    try {
      return this.updateInTransaction.immediate(changes);
    } catch (error) {
      // Only BEGIN IMMEDIATE can be busy: once it has the lock, WAL mode never waits.
      if ((error as { code?: unknown }).code === "SQLITE_BUSY") return undefined;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  close(): void {
    this.db.close();
  }
}
