/**
 * An error a user can act on: the entry point prints its message as one line
 * (no stack trace) and exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
