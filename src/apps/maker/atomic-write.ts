import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let sequence = 0;

/**
 * Writes `text` to `path` so a reader (or a restart after a crash) sees the
 * old file or the new one, never half of one: write a temporary file beside
 * it, fsync it, rename it over the target, then fsync the folder so the
 * rename itself is on disk.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  const file = await open(temporary, "wx");
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  const directory = await open(folder, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Leftovers of writes a crash interrupted: safe to delete, never read. */
export function isTemporaryFile(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}
