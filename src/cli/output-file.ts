import { statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { replaceFile } from "../apps/replace-file.ts";
import { realFile } from "./writable-file.ts";

/**
 * Writes a summary a flag names (`--expected-out`, `--report-json`) whole:
 * a regular file is replaced atomically (through a symbolic link, its
 * target), and a pipe or device (`/dev/stdout`, a FIFO) is written to as it
 * is, not replaced by a regular file of that name.
 */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  let special = false;
  try {
    special = !statSync(file).isFile();
  } catch {
    // Not there yet: made by the replace.
  }
  if (special) await writeFile(file, text, "utf8");
  else await replaceFile(realFile(file), text);
}
