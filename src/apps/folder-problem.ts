import { AppError } from "./app-error.ts";
import { makeFolders } from "./make-folders.ts";

/**
 * Why a folder could not be made or used, in words: mkdir's EEXIST or
 * ENOTDIR mean the folder, or one above it, is a file.
 */
export function folderProblem(error: unknown, folder: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EEXIST" || code === "ENOTDIR") return `${folder}, or a folder above it, is a file`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Makes `path` (and the folders above it) when missing, at start: a folder
 * that cannot be made is one line naming `folder` (the one the user gave,
 * which holds `path`), not an error at every use.
 */
export async function makeFolder(path: string, what: string, folder = path): Promise<void> {
  try {
    await makeFolders(path);
  } catch (error) {
    throw new AppError(`cannot use the ${what} ${folder}: ${folderProblem(error, folder)}`, 1, {
      cause: error,
    });
  }
}
