import { mkdirSync, statSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

/*
 * `mkdir(path, {recursive: true})` of Node 20 never returns on some file
 * systems: on /proc, mkdir("/proc/nope") says ENOENT and mkdir("/proc")
 * EEXIST, and it retries the pair forever, at 100% CPU and deaf to
 * SIGTERM. These make the missing folders one level at a time instead, from
 * the first one that exists down, so such a folder fails at once with
 * mkdir's own error (its `code` kept, for `folderProblem` to put in words).
 */

/** Makes `folder` and the missing folders above it; nothing when it exists. */
export function makeFoldersSync(folder: string): void {
  // `folder` itself is always made (or found a folder, not a file), as mkdir -p does.
  const missing = [path.resolve(folder)];
  for (let at = path.dirname(missing[0]!); at !== missing[0]; at = path.dirname(at)) {
    if (isThere(() => statSync(at))) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (error) {
      if (!madeMeanwhile(error, () => isFolderSync(at))) throw error;
    }
  }
}

/** {@link makeFoldersSync}, without blocking the event loop. */
export async function makeFolders(folder: string): Promise<void> {
  const missing = [path.resolve(folder)];
  for (let at = path.dirname(missing[0]!); at !== missing[0]; at = path.dirname(at)) {
    if (await isThereAsync(at)) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      await mkdir(at);
    } catch (error) {
      const isFolder = await stat(at).then(
        (info) => info.isDirectory(),
        () => false,
      );
      if (!madeMeanwhile(error, () => isFolder)) throw error;
    }
  }
}

/**
 * Whether something is at a path, as far as making folders goes: anything
 * but ENOENT (a file, a folder we may not read) stops the walk up, and the
 * mkdir below it then says what is wrong.
 */
function isThere(statIt: () => unknown): boolean {
  try {
    statIt();
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== "ENOENT";
  }
}

/** Whether a folder is at `at` (a dangling link is not one, and no error of its own). */
function isFolderSync(at: string): boolean {
  try {
    return statSync(at).isDirectory();
  } catch {
    return false;
  }
}

async function isThereAsync(at: string): Promise<boolean> {
  return stat(at).then(
    () => true,
    (error: unknown) => (error as { code?: unknown }).code !== "ENOENT",
  );
}

/** EEXIST for a folder made since we looked (another process, a call beside this one): done. */
function madeMeanwhile(error: unknown, isFolder: () => boolean): boolean {
  return (error as { code?: unknown }).code === "EEXIST" && isFolder();
}
