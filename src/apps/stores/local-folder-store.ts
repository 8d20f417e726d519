import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Widget } from "../../widgets/widget.ts";
import { AppError } from "../app-error.ts";
import { RevisionLedger } from "./revision-ledger.ts";
import { widgetFromJson, widgetToJson } from "./widget-json.ts";
import { DEFAULT_KEY_PREFIX, keyMatchesWidget, parseWidgetKey, widgetKey } from "./widget-key.ts";
import type { WidgetKeyLayout } from "./widget-key.ts";
import type { StoredWidget, WidgetRef, WidgetStore } from "./widget-store.ts";

/** Options of {@link LocalFolderStore}; the same key layout as the S3 store. */
export interface LocalFolderStoreOptions {
  /** Path prefix under the root, used literally as an S3 key prefix. Default `widgets/`. */
  readonly keyPrefix?: string;
  /** Put the owner key (`mary-matthews`) in the path. Default true. */
  readonly ownerInKey?: boolean;
}

/** Folder under the root for Mailroom's own files; its dot keeps it out of any widget key. */
const BOOKKEEPING_DIR = ".mailroom";

/**
 * Widgets as files, laid out like the S3 bucket so a folder can stand in for
 * one (and be synced to one):
 *
 * ```
 * <root>/widgets/mary-matthews/<id>      the widget JSON, exactly the course's
 * <root>/widgets/<id>                    the same, with ownerInKey false
 * <root>/.mailroom/revisions.sqlite      the revision last applied to each widget
 * ```
 *
 * Every widget file is replaced atomically (a temp file in the same folder,
 * then a rename), so any number of processes can share the folder: a reader
 * sees the old file or the new one, never half of one. Temp files start with
 * a dot and are never taken for widgets.
 *
 * The revision ledger ({@link RevisionLedger}) sits beside the widgets rather
 * than inside them, so the widget JSON stays the course's; it outlives a
 * delete, which makes it a tombstone. A write renames the widget into place
 * first and records the revision second, and `read` reads the ledger first:
 * so a revision read never runs ahead of the widget read with it. At worst it
 * lags by one request, which the ordering rules treat as "apply", and applying
 * a request twice gives the same widget.
 *
 * Files are not fsynced: a crash of the machine (not of the process) may lose
 * the last writes.
 *
 * Reads and writes use the synchronous fs calls: each takes microseconds on a
 * local disk, and measured here the promise versions cost about three times
 * as much per widget (a thread-pool hop per call), which capped a consumer's
 * throughput. Listing stays asynchronous.
 */
export class LocalFolderStore implements WidgetStore {
  readonly kind = "the local folder";
  readonly location: string;
  private readonly root: string;
  private readonly layout: WidgetKeyLayout;
  /** Opened on first use, so listing a folder never creates one. */
  private ledgerFile: RevisionLedger | undefined;

  constructor(rootDir: string, options: LocalFolderStoreOptions = {}) {
    this.root = path.resolve(rootDir);
    this.layout = {
      keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
      ownerInKey: options.ownerInKey ?? true,
    };
    this.location = path.join(this.root, this.layout.keyPrefix);
  }

  async read(ref: WidgetRef): Promise<StoredWidget> {
    // The ledger first: see the class comment.
    const revision = this.ledger().read(ref.id);
    const file = this.keyPath(widgetKey(this.layout, ref));
    const text = await readIfPresent(file);
    if (text === undefined) return { widget: undefined, revision };
    const widget = widgetFromJson(text);
    if (widget === undefined) throw new AppError(`The file ${file} does not hold a widget`);
    return { widget, revision };
  }

  async write(widget: Widget, revision: number): Promise<void> {
    await replaceFile(this.keyPath(widgetKey(this.layout, widget)), `${widgetToJson(widget, 2)}\n`);
    this.ledger().record(widget.id, revision);
  }

  async remove(ref: WidgetRef, revision: number): Promise<boolean> {
    const existed = await unlinkIfPresent(this.keyPath(widgetKey(this.layout, ref)));
    this.ledger().record(ref.id, revision);
    return existed;
  }

  async *list(): AsyncIterable<Widget> {
    const { keyPrefix, ownerInKey } = this.layout;
    // Walk from the last whole folder of the prefix: `widgets/` walks widgets/,
    // a bare `w` walks the root and keeps what starts with it.
    const startKey = keyPrefix.slice(0, keyPrefix.lastIndexOf("/") + 1);
    for await (const key of this.walk(startKey, ownerInKey ? 2 : 1)) {
      const parsed = parseWidgetKey(this.layout, key);
      if (parsed === undefined) continue;
      // Removed since the folder was listed: not a widget any more.
      const text = await readIfPresent(this.keyPath(key));
      const widget = text === undefined ? undefined : widgetFromJson(text);
      if (widget !== undefined && keyMatchesWidget(parsed, widget)) yield widget;
    }
  }

  async close(): Promise<void> {
    this.ledgerFile?.close();
    this.ledgerFile = undefined;
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

  private keyPath(key: string): string {
    return path.join(this.root, ...key.split("/"));
  }

  private ledger(): RevisionLedger {
    this.ledgerFile ??= new RevisionLedger(
      path.join(this.root, BOOKKEEPING_DIR, "revisions.sqlite"),
    );
    return this.ledgerFile;
  }
}

/** Makes temp names unique within the process; the pid makes them unique across processes. */
let tempCounter = 0;

/** Folders known to exist, so a write costs no mkdir after the first in its folder. */
const existingDirs = new Set<string>();

/** Writes beside the target and renames over it: readers never see a partial file. */
async function replaceFile(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  if (!existingDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    existingDirs.add(dir);
  }
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}-${(tempCounter += 1)}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    await unlinkIfPresent(temp);
    throw error;
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    unlinkSync(file);
    return true;
  } catch (error) {
    if (isCode(error, "ENOENT")) return false;
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
