import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { sameWidget } from "../../widgets/compare-widgets.ts";
import type { WidgetRequest } from "../../widgets/widget-request.ts";
import { widgetFromCreate } from "../../widgets/widget.ts";
import { AppError } from "../app-error.ts";
import { createFileDurably, isTemporaryFile } from "./create-file-durably.ts";
import type { MadeWidget } from "./made-widget.ts";
import { makeFolders } from "../make-folders.ts";

/** What `make` did with a create request. */
export type MakeResult =
  | { readonly kind: "created"; readonly made: MadeWidget }
  /** The same request again (same request id, or same widget id and content): nothing new was made. */
  | { readonly kind: "repeat"; readonly made: MadeWidget }
  /** The widget id or the request id is already taken by something else. */
  | { readonly kind: "conflict"; readonly reason: string };

/** Folder under the data dir holding one `<widgetId>.json` per widget. */
const WIDGETS_FOLDER = "widgets";
/** A temporary file this old was left by a crash, not by a write in progress. */
const STALE_TEMPORARY_MS = 60_000;

/**
 * The maker's widgets: in memory for reads, one JSON file per widget on disk
 * (written atomically before a create is answered), so stopping and
 * restarting the maker loses nothing it acknowledged.
 *
 * Idempotency: a widget id is made at most once. A request for an existing
 * widget id is a repeat when it carries the request id that made it or the
 * same content, and a conflict otherwise; a request id that already made a
 * different widget is a conflict too. Makes run one at a time, so two copies
 * of one request arriving together still make one widget.
 */
export class WidgetRegistry {
  readonly #folder: string;
  readonly #now: () => Date;
  readonly #byWidgetId = new Map<string, MadeWidget>();
  readonly #widgetIdByRequestId = new Map<string, string>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(folder: string, now: () => Date) {
    this.#folder = folder;
    this.#now = now;
  }

  /** Opens (creating if needed) the registry kept in `dataDir` and loads every widget in it. */
  static async open(dataDir: string, now: () => Date = () => new Date()): Promise<WidgetRegistry> {
    const registry = new WidgetRegistry(join(dataDir, WIDGETS_FOLDER), now);
    await registry.#load();
    return registry;
  }

  get size(): number {
    return this.#byWidgetId.size;
  }

  /** Where the widgets are kept, for people. */
  get location(): string {
    return this.#folder;
  }

  get(widgetId: string): MadeWidget | undefined {
    return this.#byWidgetId.get(widgetId);
  }

  /** Every widget, oldest first. */
  list(): MadeWidget[] {
    return [...this.#byWidgetId.values()].sort((a, b) =>
      a.dateCreated.localeCompare(b.dateCreated),
    );
  }

  /** Makes the widget of a validated create request, or finds the one it already made. */
  make(request: WidgetRequest): Promise<MakeResult> {
    const result = this.#queue.then(() => this.#makeNow(request));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #makeNow(request: WidgetRequest): Promise<MakeResult> {
    const widget = widgetFromCreate(request);
    const existing = this.#byWidgetId.get(widget.id);
    if (existing) {
      if (existing.requestId === request.requestId || sameWidget(existing.widget, widget)) {
        return { kind: "repeat", made: existing };
      }
      return {
        kind: "conflict",
        reason: `widget ${widget.id} already exists with different content (made by request ${existing.requestId})`,
      };
    }
    const otherWidgetId = this.#widgetIdByRequestId.get(request.requestId);
    if (otherWidgetId !== undefined) {
      return {
        kind: "conflict",
        reason: `request ${request.requestId} already made widget ${otherWidgetId}`,
      };
    }
    const made: MadeWidget = {
      widget,
      dateCreated: this.#now().toISOString(),
      requestId: request.requestId,
    };
    // On disk first: a widget is only ever reported after it would survive a restart.
    const file = this.#fileOf(widget.id);
    if (!(await createFileDurably(file, `${JSON.stringify(made)}\n`))) {
      // Another maker on this data dir made it since this one loaded: judge against that widget.
      const existing = parseMadeWidget(await readFile(file, "utf8"), file);
      if (existing.widget.id !== widget.id) {
        // A file system that folds case holds another id's widget under this name.
        return {
          kind: "conflict",
          reason: `widget ${widget.id} would be stored where widget ${existing.widget.id} is`,
        };
      }
      this.#remember(existing);
      return this.#makeNow(request);
    }
    this.#remember(made);
    return { kind: "created", made };
  }

  async #load(): Promise<void> {
    await makeFolders(this.#folder);
    for (const name of await readdir(this.#folder)) {
      const path = join(this.#folder, name);
      if (isTemporaryFile(name)) {
        // Left by a crash, unless another maker on this data dir is writing it now.
        const ageMs = await stat(path).then(
          (info) => Date.now() - info.mtimeMs,
          () => 0,
        );
        if (ageMs > STALE_TEMPORARY_MS) await rm(path, { force: true });
      } else if (name.endsWith(".json")) {
        this.#remember(parseMadeWidget(await readFile(path, "utf8"), path));
      }
    }
  }

  #remember(made: MadeWidget): void {
    this.#byWidgetId.set(made.widget.id, made);
    this.#widgetIdByRequestId.set(made.requestId, made.widget.id);
  }

  #fileOf(widgetId: string): string {
    // parseWidgetRequest only lets through ids that are safe as one file name.
    return join(this.#folder, `${widgetId}.json`);
  }
}

function parseMadeWidget(text: string, path: string): MadeWidget {
  try {
    const made = JSON.parse(text) as MadeWidget;
    if (typeof made.widget?.id === "string" && typeof made.requestId === "string") return made;
  } catch {
    // Reported below with the file's name.
  }
  throw new AppError(`the widget file ${path} is not a widget the maker wrote; move it away`);
}
