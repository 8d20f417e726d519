/**
 * An error the apps raise for a person to act on (a missing queue, an
 * unreachable endpoint, a bad option). The CLI prints `message` as one line and
 * exits with `exitCode`; `cause` keeps the SDK error for the logs.
 */
export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The exit code of a job stopped early by `signal` (128 + its number), as a
 * shell reports one killed by it: `send && next` must not go on to `next`.
 */
export function stoppedExitCode(signal: string): number {
  return signal === "SIGTERM" ? 143 : 130;
}
