/** The database is held by another process (a second broker on the same data dir). */
export class StoreInUseError extends Error {
  override readonly name = "StoreInUseError";

  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${file} is in use by another process (is another broker running on this data dir?)`,
      options,
    );
  }
}
