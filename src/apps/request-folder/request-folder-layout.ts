import { join } from "node:path";

/**
 * The local request folder, the on-disk twin of the request bucket:
 *
 * - `<dir>/<key>`: one request, its JSON body, named by its millisecond
 *   timestamp key (so sorting the names gives production order);
 * - `<dir>/.revisions/<key>`: the request's revision as decimal text (the
 *   bucket's `widget-revision` metadata);
 * - names starting with `.` are never requests: readers skip them (a file
 *   being written has a temporary one, see `replace-file.ts`).
 *
 * Both files are written to a temporary name in their own folder and renamed,
 * the revision first: a reader that sees `<dir>/<key>` sees it whole, with
 * its revision already there.
 *
 * Consumers (`sources/folder-request-source.ts`) add their own entries:
 * `.claimed/<key>` while a request is processed (taken by an atomic rename,
 * so one consumer wins), `.attempts/<key>` counting its receives, and
 * `rejected/<key>` with `rejected/<key>.reason` for requests set aside.
 */
export const REVISIONS_FOLDER = ".revisions";

export function requestFilePath(dir: string, key: string): string {
  return join(dir, key);
}

export function revisionFilePath(dir: string, key: string): string {
  return join(dir, REVISIONS_FOLDER, key);
}

/** Whether a name listed in the request folder is a request (not a revision folder or temp file). */
export function isRequestFileName(name: string): boolean {
  return !name.startsWith(".");
}
