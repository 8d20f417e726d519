import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let sequence = 0;

/**
 * The name a file is written under before it takes its own: beside it (so
 * the rename is atomic), hidden (a leading dot: the readers of request and
 * calendar folders skip such names), unique to this process and write.
 */
export function temporaryNameFor(path: string): string {
  // Random too: a process restarted in a container may get the same pid.
  const unique = `${process.pid}.${++sequence}.${randomBytes(4).toString("hex")}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

/**
 * Writes `text` to `path` whole: to a temporary file beside it, then
 * renamed over it, so a reader sees the old file or the new one, never part
 * of one. No fsync: for files that can be made again (a calendar, a request
 * a run writes, a summary); `maker/create-file-durably.ts` is the one that
 * must survive a crash of the machine.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = temporaryNameFor(path);
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** {@link replaceFile}, for a caller that must not overlap two writes of one file. */
export function replaceFileSync(path: string, text: string): void {
  const temporary = temporaryNameFor(path);
  try {
    writeFileSync(temporary, text, "utf8");
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
