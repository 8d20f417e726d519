import { readFile, readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { replaceFile } from "../replace-file.ts";
import { USER_ID_PATTERN } from "./todo-item.ts";
import { calendarEtag, versionName, versionOf } from "./calendar-store.ts";
import type { CalendarStore, StoredCalendar } from "./calendar-store.ts";
import { makeFolders } from "../make-folders.ts";

/** Reads that may find the newest file removed under them (a newer one came) before giving up. */
const READ_ATTEMPTS = 5;

/**
 * Calendars as files: `<dir>/<userId>/<version>.ics`, each written to a
 * temporary file and renamed into place, so a reader never sees half of one.
 * Its time of change is the render time.
 *
 * No fsync: a calendar is derived data, rendered again by the next change or
 * `POST /users/<id>/calendar`, and an fsync per render cost 10-100 ms on a
 * busy disk here, which delays every calendar behind it.
 */
export class FolderCalendarStore implements CalendarStore {
  readonly kind = "folder";
  readonly location: string;

  constructor(dir: string) {
    this.location = resolve(dir);
  }

  async put(userId: string, version: number, ics: string): Promise<void> {
    const folder = this.folderOf(userId);
    await makeFolders(folder);
    await replaceFile(join(folder, versionName(version)), ics);
    const older = (await this.versions(userId)).filter((stored) => stored < version);
    await Promise.all(older.map((old) => rm(join(folder, versionName(old)), { force: true })));
  }

  async latest(userId: string): Promise<StoredCalendar | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const version = (await this.versions(userId)).at(-1);
      if (version === undefined) return undefined;
      const file = join(this.folderOf(userId), versionName(version));
      try {
        const [ics, stats] = await Promise.all([readFile(file, "utf8"), stat(file)]);
        return {
          userId,
          version,
          ics,
          renderedAt: Math.round(stats.mtimeMs),
          etag: calendarEtag(ics),
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= READ_ATTEMPTS)
          throw error;
      }
    }
  }

  async close(): Promise<void> {}

  /** The user's stored versions, oldest first. */
  private async versions(userId: string): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.folderOf(userId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names
      .map(versionOf)
      .filter((version) => version !== undefined)
      .sort((a, b) => a - b);
  }

  private folderOf(userId: string): string {
    if (!USER_ID_PATTERN.test(userId)) throw new Error(`not a user id: ${JSON.stringify(userId)}`);
    return join(this.location, userId);
  }
}
