import { accessSync, constants, existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readlinkSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliError } from "./cli-error.ts";
import { makeFoldersSync } from "../apps/make-folders.ts";

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
    if (!existsSync(folder)) makeFoldersSync(folder);
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
 * link stays a link), also one not made yet (a dangling link, followed
 * link by link), or `file` itself.
 */
export function realFile(file: string): string {
  let path = file;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    try {
      return realpathSync(path);
    } catch {
      // Not there: a link to a file still to be made, or that file itself.
    }
    let target: string;
    try {
      target = readlinkSync(path);
    } catch {
      return path;
    }
    path = resolve(dirname(path), target);
  }
  // A loop of links: the write itself reports it.
  return path;
}

/** As Linux's own limit on links followed in one path (ELOOP beyond). */
const MAX_LINK_HOPS = 40;
