import { resolve } from "node:path";
import type Database from "better-sqlite3";
import type { Statement, Transaction } from "better-sqlite3";
import { openSharedSqlite } from "../sqlite-file.ts";
import { MAX_ITEMS_PER_USER, MAX_LIST_BYTES } from "./todo-item.ts";
import type { TodoFields, TodoItem } from "./todo-item.ts";

/**
 * A user's list at one version. Every change to a user's items adds one to
 * the version, in the same transaction, so a version names exactly one state.
 */
export interface TodoList {
  readonly userId: string;
  readonly version: number;
  /** When the last change was made, epoch ms (0: never). */
  readonly changedAt: number;
  readonly items: readonly TodoItem[];
}

/** What a change did: the list after it, and the item it made or edited. */
export interface TodoChange {
  readonly list: TodoList;
  /** The items the change added or edited, as they are now, in the order given. */
  readonly items: readonly TodoItem[];
  /** Items the change touched (0: nothing changed, no new version). */
  readonly changed: number;
  /** When the user's change before this one was made, epoch ms (0: this is the first). */
  readonly previousChangedAt: number;
}

interface ItemRow {
  id: number;
  title: string;
  notes: string;
  due: string | null;
  done: number;
  created_at: number;
  updated_at: number;
}

/** A change's writes: how many items it touched, and the item to answer with. */
type Edit = () => { changed: number; itemIds?: readonly number[] };

/** A change that cannot be made, in words for the person who asked. */
export class TodoConflict extends Error {
  override readonly name = "TodoConflict";
}

/**
 * Users' todo items in SQLite (WAL). better-sqlite3 is synchronous, so each
 * change and the list read after it are one transaction no other request
 * interleaves with: the list a change returns is the state of its version.
 */
export class TodoStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly select: {
    items: Statement<[string], ItemRow>;
    item: Statement<[string, number], ItemRow>;
    user: Statement<[string], { version: number; changed_at: number }>;
    count: Statement<[string], { count: number }>;
    job: Statement<[string], { calendar_job: string | null }>;
  };
  private readonly write: {
    insert: Statement<[string, string, string, string | null, number, number, number]>;
    remove: Statement<[string, number]>;
    done: Statement<[number, number, string, number, number]>;
    bump: Statement<[string, number]>;
    job: Statement<[string, string]>;
  };
  private readonly changeInTransaction: Transaction<
    (userId: string, now: number, edit: Edit) => TodoChange
  >;
  /** UPDATE statements by the columns they set. */
  private readonly updates = new Map<string, Statement<unknown[]>>();

  constructor(file: string) {
    this.location = resolve(file);
    this.db = openSharedSqlite(file);
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS users (
         id TEXT PRIMARY KEY,
         version INTEGER NOT NULL,
         changed_at INTEGER NOT NULL,
         calendar_job TEXT
       ) WITHOUT ROWID;
       CREATE TABLE IF NOT EXISTS items (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         user_id TEXT NOT NULL,
         title TEXT NOT NULL,
         notes TEXT NOT NULL DEFAULT '',
         due TEXT,
         done INTEGER NOT NULL DEFAULT 0,
         created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL
       );
       CREATE INDEX IF NOT EXISTS items_by_user ON items (user_id, id);`,
    );
    this.select = {
      items: this.db.prepare("SELECT * FROM items WHERE user_id = ? ORDER BY id"),
      item: this.db.prepare("SELECT * FROM items WHERE user_id = ? AND id = ?"),
      user: this.db.prepare("SELECT version, changed_at FROM users WHERE id = ?"),
      count: this.db.prepare("SELECT count(*) AS count FROM items WHERE user_id = ?"),
      job: this.db.prepare("SELECT calendar_job FROM users WHERE id = ?"),
    };
    this.write = {
      insert: this.db.prepare(
        `INSERT INTO items (user_id, title, notes, due, done, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      remove: this.db.prepare("DELETE FROM items WHERE user_id = ? AND id = ?"),
      done: this.db.prepare(
        "UPDATE items SET done = ?, updated_at = ? WHERE user_id = ? AND id = ? AND done <> ?",
      ),
      bump: this.db.prepare(
        `INSERT INTO users (id, version, changed_at) VALUES (?, 1, ?)
         ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`,
      ),
      job: this.db.prepare("UPDATE users SET calendar_job = ? WHERE id = ?"),
    };
    this.changeInTransaction = this.db.transaction((userId: string, now: number, edit: Edit) => {
      const previousChangedAt = this.select.user.get(userId)?.changed_at ?? 0;
      const { changed, itemIds = [] } = edit();
      if (changed > 0) this.write.bump.run(userId, now);
      const items = itemIds.flatMap((itemId) => this.item(userId, itemId) ?? []);
      return { list: this.list(userId), changed, previousChangedAt, items };
    });
  }

  list(userId: string): TodoList {
    const user = this.select.user.get(userId);
    return {
      userId,
      version: user?.version ?? 0,
      changedAt: user?.changed_at ?? 0,
      items: this.select.items.all(userId).map(itemOf),
    };
  }

  item(userId: string, itemId: number): TodoItem | undefined {
    const row = this.select.item.get(userId, itemId);
    return row === undefined ? undefined : itemOf(row);
  }

  add(userId: string, fields: TodoFields & { title: string }, now = Date.now()): TodoChange {
    return this.addMany(userId, [fields], now);
  }

  /** Adds several items as one change (one version). */
  addMany(
    userId: string,
    many: readonly (TodoFields & { title: string })[],
    now = Date.now(),
  ): TodoChange {
    return this.change(userId, now, () => {
      if (this.select.count.get(userId)!.count + many.length > MAX_ITEMS_PER_USER) {
        throw new TodoConflict(`a list holds at most ${MAX_ITEMS_PER_USER} items`);
      }
      const itemIds: number[] = [];
      for (const fields of many) {
        const { lastInsertRowid } = this.write.insert.run(
          userId,
          fields.title,
          fields.notes ?? "",
          fields.due ?? null,
          fields.done ? 1 : 0,
          now,
          now,
        );
        itemIds.push(Number(lastInsertRowid));
      }
      this.assertListFits(userId, () => true);
      return { changed: many.length, itemIds };
    });
  }

  /** Edits the fields given; `undefined` when the user has no such item. */
  update(
    userId: string,
    itemId: number,
    fields: TodoFields,
    now = Date.now(),
  ): TodoChange | undefined {
    const before = this.item(userId, itemId);
    if (before === undefined) return undefined;
    return this.change(userId, now, () => {
      // Only the fields whose value differs: an edit that changes nothing is
      // no change (no new version, no render, updatedAt and the ETag kept).
      const sets = Object.entries({
        title: fields.title === before.title ? undefined : fields.title,
        notes: fields.notes === before.notes ? undefined : fields.notes,
        due: fields.due === before.due ? undefined : fields.due,
        done: fields.done === undefined || fields.done === before.done ? undefined : +fields.done,
      }).filter(([, value]) => value !== undefined);
      if (sets.length === 0) return { changed: 0, itemIds: [itemId] };
      const columns = sets.map(([column]) => column);
      let statement = this.updates.get(columns.join());
      if (statement === undefined) {
        statement = this.db.prepare(
          `UPDATE items SET ${columns.map((column) => `${column} = ?`).join(", ")}, updated_at = ?
           WHERE user_id = ? AND id = ?`,
        );
        this.updates.set(columns.join(), statement);
      }
      statement.run(...sets.map(([, value]) => value), now, userId, itemId);
      // Only the edited item changed: the list grew if it did.
      this.assertListFits(userId, () => jsonBytes(this.item(userId, itemId)) > jsonBytes(before));
      return { changed: 1, itemIds: [itemId] };
    });
  }

  /** Removes the item; `undefined` when the user has no such item. */
  remove(userId: string, itemId: number, now = Date.now()): TodoChange | undefined {
    if (this.item(userId, itemId) === undefined) return undefined;
    return this.change(userId, now, () => {
      this.write.remove.run(userId, itemId);
      return { changed: 1 };
    });
  }

  /** Ticks off (or back on) several items at once: one change, one version. */
  setDone(userId: string, itemIds: readonly number[], done: boolean, now = Date.now()): TodoChange {
    return this.change(userId, now, () => {
      let changed = 0;
      for (const id of new Set(itemIds)) {
        changed += this.write.done.run(done ? 1 : 0, now, userId, id, done ? 1 : 0).changes;
      }
      return { changed };
    });
  }

  /** Remembers the user's latest calendar job, for the page. */
  setCalendarJob(userId: string, jobId: string): void {
    this.write.job.run(jobId, userId);
  }

  calendarJob(userId: string): string | undefined {
    return this.select.job.get(userId)?.calendar_job ?? undefined;
  }

  close(): void {
    this.db.close();
  }

  /**
   * In a change that may grow the list (its transaction then rolls back): a
   * list too large for one calendar job would leave its calendar stale for
   * good. A change that does not grow it passes, so a list already too large
   * (made before this check) can still be shortened.
   */
  private assertListFits(userId: string, grew: () => boolean): void {
    const bytes = jsonBytes(this.list(userId));
    if (bytes > MAX_LIST_BYTES && grew()) {
      const kib = (count: number) => Math.ceil(count / 1024);
      throw new TodoConflict(
        `the list would take ${kib(bytes)} KiB, over the ${kib(MAX_LIST_BYTES)} KiB one calendar job carries: shorten some notes or titles`,
      );
    }
  }

  /** Runs `edit` and, when it changed something, the version bump, in one transaction. */
  private change(userId: string, now: number, edit: Edit): TodoChange {
    return this.changeInTransaction.immediate(userId, now, edit);
  }
}

function itemOf(row: ItemRow): TodoItem {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    due: row.due,
    done: row.done === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
