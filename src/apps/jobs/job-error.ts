/**
 * An SQS call of the jobs layer failed. Keeps the SDK's error as `cause`, and
 * says which queue and job, as sqs-consumer's errors do.
 */
export class JobQueueError extends Error {
  override readonly name = "JobQueueError";
  readonly code: string | undefined;

  constructor(
    message: string,
    readonly queueUrl: string,
    readonly jobIds: readonly string[],
    cause: unknown,
  ) {
    super(`${message}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.code = cause instanceof Error ? cause.name : undefined;
  }
}
