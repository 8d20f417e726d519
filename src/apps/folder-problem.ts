/**
 * Why a folder could not be made or used, in words: mkdir's EEXIST or
 * ENOTDIR mean the folder, or one above it, is a file.
 */
export function folderProblem(error: unknown, folder: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EEXIST" || code === "ENOTDIR") return `${folder}, or a folder above it, is a file`;
  return error instanceof Error ? error.message : String(error);
}
