import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { realpathSync } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "./cli-error.ts";

/**
 * How a command writes a file a flag names: `append` (a log, opened and
 * added to), `replace` (a summary, written whole to a file beside it and
 * renamed over it, so a reader never sees half of one), or `replace-or-write`
 * (the same, except that a pipe or device, `/dev/stdout` say, is written to
 * as it is).
 */
export type FileWrite = "append" | "replace" | "replace-or-write";

/**
 * Checks before any work that a file a flag names can be written (making
 * its folder if missing), so a bad path is one line and exit 2, not a
 * stack trace after the work is done. Leaves nothing behind but the
 * folders it made, which the write would make anyway.
 */
export function checkWritableFile(file: string, flag: string, how: FileWrite = "replace"): void {
  try {
    const folder = dirname(file);
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
    else if (!statSync(folder).isDirectory()) throw new Error(`${folder} is a file, not a folder`);
    if (existsSync(file)) {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new Error("it is a directory");
      if (!stat.isFile() && how === "replace") throw new Error("it is not a regular file");
      // Written in place: the file's own permission is what counts.
      if (how === "append" || !stat.isFile()) return accessSync(file, constants.W_OK);
    }
    // Replaced, or made: the folder must take a new file.
    const probe = `${realFile(file)}.${process.pid}.probe`;
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    throw new CliError(`cannot write ${flag} ${file}: ${(error as Error).message}`, 2);
  }
}

/**
 * The file a write of `file` must replace: a symbolic link's target (the
 * link stays a link), or `file` itself.
 */
export function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
