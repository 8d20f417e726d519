import { AppError } from "../app-error.ts";

/**
 * How long the apps give SQS to answer one call. SQS answers in well under a
 * second; without a deadline, a broker that stops answering (stopped with
 * `kill -STOP`, or a port that accepts connections and says nothing) hangs a
 * command with no output, since the SDK's HTTP handler waits for ever.
 */
export const SQS_ANSWER_TIMEOUT_MS = 10_000;

export interface SqsCallSignalOptions {
  /** The call's `WaitTimeSeconds`, for a long-polling ReceiveMessage; default 0. */
  readonly waitSeconds?: number;
  /** Also aborts the call (Ctrl-C); the caller checks it before blaming SQS. */
  readonly stop?: AbortSignal;
}

/**
 * The `abortSignal` for one SQS call: it fires once SQS has had
 * {@link SQS_ANSWER_TIMEOUT_MS} to answer, or when `stop` fires. A call it
 * cuts off fails with an `AbortError` ({@link isAbortedCall}).
 */
export function sqsCallSignal(options: SqsCallSignalOptions = {}): AbortSignal {
  // A long poll's deadline must exceed its WaitTimeSeconds: on an empty queue
  // SQS holds the request that long before it answers, so the time it has to
  // answer counts from the end of the wait.
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  const noAnswer = AbortSignal.timeout(waitMs + SQS_ANSWER_TIMEOUT_MS);
  // Node 20 keeps a timeout signal until it fires only while it has a
  // listener: `AbortSignal.any` adds none, so a garbage collection during the
  // call would drop it and the call would wait for ever again.
  noAnswer.addEventListener("abort", keepUntilFired, { once: true });
  return options.stop ? AbortSignal.any([options.stop, noAnswer]) : noAnswer;
}

function keepUntilFired(): void {}

/** Whether the SDK gave up on a call because its abort signal fired. */
export function isAbortedCall(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/**
 * The one line for a call SQS did not answer in time, the same in every app:
 * `SQS did not answer within 10 s (look up csse6400_prac)`.
 */
export function sqsDidNotAnswer(action: string, queue: string, cause: unknown): AppError {
  return new AppError(
    `SQS did not answer within ${SQS_ANSWER_TIMEOUT_MS / 1000} s (${action} ${queue})`,
    1,
    { cause },
  );
}

/**
 * The error to report for a call on `queue` that failed: the
 * {@link sqsDidNotAnswer} line for one cut off at its deadline, `error`
 * itself otherwise. For calls whose failure a caller logs and survives (a
 * delete, a visibility change), so the log says why, not `This operation was
 * aborted`.
 */
export function explainNoAnswer(error: unknown, action: string, queue: string): unknown {
  // Without the SDK's `Request aborted` as cause, which a log line would add to it.
  return isAbortedCall(error) ? sqsDidNotAnswer(action, queue, undefined) : error;
}
