/** The data directory cannot be created, opened or written. */
export class DataDirError extends Error {
  override readonly name = "DataDirError";

  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`cannot use the data directory ${dir}: ${reasonOf(cause)}`, { cause });
  }
}

/**
 * `error` as a DataDirError when SQLite raised it (the database in `dir`
 * cannot be opened, read or written), else `error` itself.
 */
export function asDataDirError(dir: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_")
    ? new DataDirError(dir, error)
    : error;
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  ENOTDIR: "it, or a folder above it, is a file",
  EEXIST: "it is a file, not a folder",
  ENOENT: "it cannot be created there",
  ELOOP: "too many symbolic links",
  SQLITE_CANTOPEN:
    "the database file cannot be opened (no permission, a read-only file system, or a folder in its place?)",
  SQLITE_READONLY: "the database file is read-only",
  SQLITE_NOTADB: "mailroom.db there is not a SQLite database",
  SQLITE_CORRUPT: "mailroom.db there is damaged",
  SQLITE_FULL: "no space left on device",
  SQLITE_IOERR: "an I/O error (disk full or failing?)",
};

function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  const known =
    typeof code === "string"
      ? (REASONS[code] ?? REASONS[code.split("_").slice(0, 2).join("_")])
      : undefined;
  if (known !== undefined) return `${known} (${String(code)})`;
  return cause instanceof Error ? cause.message : String(cause);
}
