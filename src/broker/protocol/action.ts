import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { Members } from "./shapes.ts";

/**
 * What an action may know about the request it serves. `engine`,
 * `queueName`, `senderId` and `traceHeader` may be destructured; `queueUrl`
 * and `onAbandon` are methods of the request (the `this` parameter makes the
 * compiler refuse to call them detached).
 */
export interface ActionContext {
  readonly engine: SqsEngine;
  /** The queue name a QueueUrl names (QueueDoesNotExist for another account, InvalidAddress if no URL). */
  readonly queueName: (queueUrl: string) => string;
  /** Who is calling, reported as a message's SenderId. */
  readonly senderId: string;
  /** The request's X-Amzn-Trace-Id header, which SQS keeps as a message's AWSTraceHeader. */
  readonly traceHeader: string | undefined;
  /** The URL of a queue as this client reaches the broker. */
  queueUrl(this: ActionContext, name: string): string;
  /** The URL a request path names (`/<account>/<name>`), as this client reaches the broker. */
  queueUrlAt(this: ActionContext, path: string): string;
  /** Registers a callback for a client that hangs up before its answer (ends a long poll early). */
  onAbandon(this: ActionContext, callback: () => void): void;
}

/**
 * One SQS action: its input and output members as data, in AWS's model
 * order, and what it does. Both wire protocols read the input and write the
 * output from these descriptions (shapes.ts); `run` sees one typed input
 * whichever protocol it came from, and returns an object with the API's
 * member names (binary values as bytes).
 */
export interface Action<Input = Record<string, unknown>, Output extends object = object> {
  name: string;
  input: Members;
  output: Members;
  run(context: ActionContext, input: Input): Output | Promise<Output>;
}

/** Defines an action with its input (and output) type spelled out once. */
export function defineAction<Input, Output extends object = object>(
  action: Action<Input, Output>,
): Action<Record<string, unknown>> {
  return action as unknown as Action<Record<string, unknown>>;
}
