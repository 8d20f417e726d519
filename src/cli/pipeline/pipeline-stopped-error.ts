/** The run was stopped by a signal before every request was handled; its consumers finished what they held. */
export class PipelineStoppedError extends Error {
  override readonly name = "PipelineStoppedError";

  constructor(
    readonly signal: string,
    /** Requests the consumers were done with when they had stopped. */
    readonly handled: number,
    readonly total: number,
  ) {
    super(`stopped by ${signal} with ${handled} of ${total} requests handled`);
  }
}
