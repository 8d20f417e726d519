import { readFileSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Widget } from "../../widgets/widget.ts";
import { quoted } from "../../widgets/quoted.ts";
import { AppError } from "../app-error.ts";
import { EMPTY_STATE, stateOfExistingWidget, visibleWidget } from "../../widgets/widget-state.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import { FileRecycler, isCode } from "./file-recycler.ts";
import { BUSY_TIMEOUT_MS } from "../sqlite-file.ts";
import { WidgetStateLedger } from "./widget-state-ledger.ts";
import type { LedgerChange, LedgerChangeFailure } from "./widget-state-ledger.ts";
import { widgetFromJson, widgetToJson } from "./widget-json.ts";
import { DEFAULT_KEY_PREFIX, keyMatchesWidget, parseWidgetKey, widgetKey } from "./widget-key.ts";
import type { WidgetKeyLayout } from "./widget-key.ts";
import type { WidgetChange, WidgetRef, WidgetStore } from "./widget-store.ts";
import { UnstorableWidgetError } from "./unstorable-widget-error.ts";

/** Options of {@link LocalFolderStore}; the same key layout as the S3 store. */
export interface LocalFolderStoreOptions {
  /**
   * Folder names under the root, `/`-separated. Default `widgets/`. Unlike a
   * bucket's, the prefix is always whole folders: `w` means `w/` (in a
   * bucket it would glue to the owner, `wmary-matthews/<id>`).
   */
  readonly keyPrefix?: string;
  /** Put the owner key (`mary-matthews`) in the path. Default true. */
  readonly ownerInKey?: boolean;
}

/** How often a store tries again for the ledger's write lock while another process holds it. */
const LOCK_RETRY_MS = 1;

/** Folder under the root for Mailroom's own files; its dot keeps it out of any widget key. */
const BOOKKEEPING_DIR = ".mailroom";

/**
 * Widgets as files, laid out like the S3 bucket so a folder can stand in for
 * one (and be synced to one):
 *
 * ```
 * <root>/widgets/mary-matthews/<id>      the widget JSON, exactly the course's
 * <root>/widgets/<id>                    the same, with ownerInKey false
 * <root>/.mailroom/widget-states.sqlite  each widget's state, deletes included
 * <root>/.mailroom/spare/                replaced files, to be written again
 * ```
 *
 * A change runs inside a write transaction of the state ledger
 * ({@link WidgetStateLedger}): read the state, decide, write the widget's
 * file, save the state, commit. The ledger's lock serialises changes across
 * every process sharing the folder, so files are written in the order of
 * the states they show. A process killed after the file but before the
 * commit leaves a file one request ahead of its state; the request comes
 * back, and applying it again gives the same file.
 *
 * Changes asked for in the same event-loop turn (a consumer's workers on the
 * requests of one receive) share one transaction, committed on the next
 * turn: taking the lock and committing cost more than a change itself, and
 * several consumers on one folder otherwise queue for the lock at every
 * request (SQLite's busy wait sleeps a millisecond or more each time). Each
 * change still succeeds or fails on its own, and resolves once committed.
 *
 * Every widget file is replaced atomically (the new text in a file of its
 * own, then a rename): a reader sees the old file or the new one, never half
 * of one. Replaced and removed files are kept in `.mailroom/spare/` and
 * written again later instead of being freed ({@link FileRecycler}). Files
 * are not fsynced: a crash of the machine (not of the process) may lose the
 * last writes.
 *
 * Reads and writes use the synchronous fs calls: each takes microseconds on a
 * local disk, and measured here the promise versions cost about three times
 * as much per widget (a thread-pool hop per call), which capped a consumer's
 * throughput. They also keep the whole change inside one synchronous
 * transaction. Listing stays asynchronous.
 */
export class LocalFolderStore implements WidgetStore {
  readonly kind = "the local folder";
  readonly location: string;
  private readonly root: string;
  private readonly layout: WidgetKeyLayout;
  /** Opened on first use, so listing a folder never creates one. */
  private ledgerFile: WidgetStateLedger | undefined;
  private readonly files: FileRecycler;
  /** Changes waiting for this turn's transaction, with their callers' promises. */
  private pending: PendingChange[] = [];
  /** When the pending changes first found the write lock held by another process. */
  private lockWaitSince: number | undefined;

  constructor(rootDir: string, options: LocalFolderStoreOptions = {}) {
    this.root = path.resolve(rootDir);
    this.layout = {
      keyPrefix: asFolderPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX),
      ownerInKey: options.ownerInKey ?? true,
    };
    this.location = path.join(this.root, this.layout.keyPrefix);
    this.files = new FileRecycler(path.join(this.root, BOOKKEEPING_DIR, "spare"));
  }

  update(ref: WidgetRef, change: WidgetChange): Promise<void> {
    return new Promise((resolve, reject) => {
      const step: LedgerChange["step"] = (stored) => {
        try {
          const current = stored ?? this.stateOfFileAt(ref);
          const next = change(current);
          if (next !== undefined) this.writeFiles(visibleWidget(current), visibleWidget(next));
          return next;
        } catch (error) {
          throw this.explain(error, ref);
        }
      };
      this.pending.push({ widgetId: ref.id, step, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  async read(ref: WidgetRef): Promise<Widget | undefined> {
    return this.readFile(widgetKey(this.layout, ref));
  }

  async *list(): AsyncIterable<Widget> {
    const { keyPrefix, ownerInKey } = this.layout;
    for await (const key of this.walk(keyPrefix, ownerInKey ? 2 : 1)) {
      const parsed = parseWidgetKey(this.layout, key);
      if (parsed === undefined) continue;
      // Removed since the folder was listed: not a widget any more.
      const text = readIfPresent(this.keyPath(key));
      const widget = text === undefined ? undefined : widgetFromJson(text);
      if (widget !== undefined && keyMatchesWidget(parsed, widget)) yield widget;
    }
  }

  async close(): Promise<void> {
    this.settle(this.pending, () => this.ledger().updateAll(this.pending));
    this.ledgerFile?.close();
    this.ledgerFile = undefined;
  }

  /**
   * Applies every pending change in one transaction and settles each caller;
   * while another process holds the lock, tries again every millisecond, and
   * changes asked for meanwhile join in.
   */
  private commitPending(): void {
    if (this.pending.length === 0) return;
    const now = Date.now();
    this.settle(this.pending, () => {
      const failures = this.ledger().tryUpdateAll(this.pending);
      if (failures !== undefined) return failures;
      this.lockWaitSince ??= now;
      if (now - this.lockWaitSince < BUSY_TIMEOUT_MS) return undefined;
      throw new AppError(
        `The widget states in ${this.root} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000} s`,
      );
    });
    if (this.pending.length > 0) setTimeout(() => this.commitPending(), LOCK_RETRY_MS);
  }

  /**
   * Runs `commit` on `changes` and settles each caller by its outcome; when
   * `commit` gives `undefined` (the lock is busy) they stay pending.
   */
  private settle(
    changes: PendingChange[],
    commit: () => (LedgerChangeFailure | undefined)[] | undefined,
  ): void {
    if (changes.length === 0) return;
    let failures;
    try {
      failures = commit();
    } catch (error) {
      this.pending = [];
      this.lockWaitSince = undefined;
      for (const change of changes) change.reject(error);
      return;
    }
    if (failures === undefined) return;
    this.pending = [];
    this.lockWaitSince = undefined;
    changes.forEach((change, index) => {
      const failure = failures[index];
      if (failure === undefined) change.resolve();
      else change.reject(failure.error);
    });
  }

  /** A widget file with no state beside it was written by another program: start from it. */
  private stateOfFileAt(ref: WidgetRef): WidgetState {
    const key = widgetKey(this.layout, ref);
    // A widget with no state is nearly always a new one, with no file: a stat
    // that cannot throw costs a fifth of a read that fails (1.5 against 7.7 µs,
    // the exception), once per new widget.
    if (statSync(this.keyPath(key), { throwIfNoEntry: false }) === undefined) return EMPTY_STATE;
    const widget = this.readFile(key);
    return widget === undefined ? EMPTY_STATE : stateOfExistingWidget(widget);
  }

  private readFile(key: string): Widget | undefined {
    const file = this.keyPath(key);
    const text = readIfPresent(file);
    if (text === undefined) return undefined;
    const widget = widgetFromJson(text);
    if (widget === undefined) throw new AppError(`The file ${file} does not hold a widget`);
    return widget;
  }

  /** Makes the files show `after` where they showed `before` (its key changes with a new owner). */
  private writeFiles(before: Widget | undefined, after: Widget | undefined): void {
    const beforeKey = before && widgetKey(this.layout, before);
    const afterKey = after && widgetKey(this.layout, after);
    if (after !== undefined) {
      const text = `${widgetToJson(after, 2)}\n`;
      if (
        before === undefined ||
        `${widgetToJson(before, 2)}\n` !== text ||
        beforeKey !== afterKey
      ) {
        // A file is there to keep only where the widget already had one.
        this.files.replace(this.keyPath(afterKey!), text, beforeKey === afterKey);
      }
    }
    if (beforeKey !== undefined && beforeKey !== afterKey)
      this.files.remove(this.keyPath(beforeKey));
  }

  /** Keys of the files `depth` levels below the folder `dirKey` (`""` or ending in `/`). */
  private async *walk(dirKey: string, depth: number): AsyncIterable<string> {
    let entries;
    try {
      entries = await readdir(this.keyPath(dirKey), { withFileTypes: true });
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return;
      throw error;
    }
    for (const entry of entries) {
      // Temp files and the bookkeeping folder.
      if (entry.name.startsWith(".")) continue;
      if (depth === 1 && entry.isFile()) yield dirKey + entry.name;
      if (depth > 1 && entry.isDirectory()) yield* this.walk(`${dirKey}${entry.name}/`, depth - 1);
    }
  }

  /**
   * A name too long for the file system (an owner of hundreds of letters) can
   * never be written, so it is said to be unstorable; other errors may pass.
   */
  private explain(error: unknown, ref: WidgetRef): unknown {
    if (!isCode(error, "ENAMETOOLONG")) return error;
    return new UnstorableWidgetError(
      `its file name, with owner ${quoted(ref.owner)}, is longer than the file system ` +
        `under ${this.root} allows`,
      { cause: error },
    );
  }

  private keyPath(key: string): string {
    return path.join(this.root, ...key.split("/"));
  }

  private ledger(): WidgetStateLedger {
    this.ledgerFile ??= new WidgetStateLedger(
      path.join(this.root, BOOKKEEPING_DIR, "widget-states.sqlite"),
    );
    return this.ledgerFile;
  }
}

interface PendingChange extends LedgerChange {
  resolve(): void;
  reject(error: unknown): void;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

/** The prefix as whole folders: `w` is the folder `w/`; `` stays the root itself. */
function asFolderPrefix(prefix: string): string {
  return prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
}
