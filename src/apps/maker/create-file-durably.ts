import { link, open, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { temporaryNameFor } from "../replace-file.ts";

/**
 * Creates `path` holding `text`, whole or not at all, and never over an
 * existing file: write a temporary file beside it, fsync it, hard-link it
 * to the target (which fails if the target exists, where a rename would
 * replace it), then fsync the folder so the link itself is on disk.
 * Returns false, writing nothing, when `path` already exists: another
 * process (a second maker on the same data dir) made it first.
 */
export async function createFileDurably(path: string, text: string): Promise<boolean> {
  const folder = dirname(path);
  const temporary = temporaryNameFor(path);
  const file = await open(temporary, "wx");
  try {
    try {
      await file.writeFile(text, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  const directory = await open(folder, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return true;
}

/** Leftovers of writes a crash interrupted: safe to delete once old, never read. */
export function isTemporaryFile(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}
