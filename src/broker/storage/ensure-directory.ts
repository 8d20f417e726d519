import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Creates `dir` and any missing folders above it. Not `mkdirSync(dir,
 * {recursive: true})`: on Node 20 that never returns for a path under
 * /proc (it retries ENOENT forever).
 */
export function ensureDirectory(dir: string, depth = 0): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EEXIST") {
      if (!statSync(dir).isDirectory()) throw error;
      return;
    }
    const parent = dirname(dir);
    if (code !== "ENOENT" || parent === dir || depth > 64) throw error;
    ensureDirectory(parent, depth + 1);
    mkdirSync(dir);
  }
}
