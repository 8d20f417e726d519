import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "./cli-error.ts";

/**
 * Checks before any work that a file a flag names can be written (making
 * its folder if missing), so a bad path is one line and exit 2, not a
 * stack trace after the work is done. Leaves nothing behind but the
 * folders it made, which the write would make anyway.
 */
export function checkWritableFile(file: string, flag: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new Error("it is a directory");
    }
    const probe = `${file}.${process.pid}.probe`;
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    throw new CliError(`cannot write ${flag} ${file}: ${(error as Error).message}`, 2);
  }
}
