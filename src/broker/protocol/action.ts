import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { Members } from "./shapes.ts";

/** What an action may know about the request it serves. */
export interface ActionContext {
  engine: SqsEngine;
  /** The queue name a QueueUrl names (QueueDoesNotExist for another account, InvalidAddress if no URL). */
  queueName(queueUrl: string): string;
  /** The URL of a queue as this client reaches the broker. */
  queueUrl(name: string): string;
  /** Who is calling, reported as a message's SenderId. */
  senderId: string;
  /** The request's X-Amzn-Trace-Id header, which SQS keeps as a message's AWSTraceHeader. */
  traceHeader: string | undefined;
  /** Registers a callback for a client that hangs up before its answer (ends a long poll early). */
  onAbandon(callback: () => void): void;
}

/**
 * One SQS action: its input members as data, and what it does. Outputs use
 * the API's member names, so each wire codec can serialize them as they are.
 */
export interface Action<Input = Record<string, unknown>> {
  name: string;
  input: Members;
  run(context: ActionContext, input: Input): object | Promise<object>;
}

/** Defines an action with its input type spelled out once. */
export function defineAction<Input>(action: Action<Input>): Action<Record<string, unknown>> {
  return action as unknown as Action<Record<string, unknown>>;
}
