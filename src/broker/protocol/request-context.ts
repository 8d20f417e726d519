import type { IncomingMessage, ServerResponse } from "node:http";
import type { SqsEngine } from "../engine/sqs-engine.ts";
import type { ActionContext } from "./action.ts";
import { buildQueueUrl } from "./queue-url.ts";
import type { QueueUrlBase } from "./queue-url-base.ts";
import { senderIdFrom } from "./sender-id.ts";

/** What every request's context shares, made once per handler. */
export interface SharedContext {
  engine: SqsEngine;
  accountId: string;
  queueName: (queueUrl: string) => string;
  queueUrlBase: QueueUrlBase;
}

/**
 * The ActionContext of one request. A class with its methods on the
 * prototype rather than an object literal of closures: a request then
 * allocates one small object, not four functions (which tsx's keepNames
 * also renames one by one, a measurable cost per request). What only some
 * actions need (the caller's SenderId, the Host header) is read when asked.
 */
export class RequestContext implements ActionContext {
  readonly engine: SqsEngine;
  readonly queueName: (queueUrl: string) => string;
  readonly traceHeader: string | undefined;

  constructor(
    private readonly shared: SharedContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    /** The access key a verified signature was made with. */
    private readonly verifiedKey?: string,
  ) {
    this.engine = shared.engine;
    this.queueName = shared.queueName;
    this.traceHeader = req.headers["x-amzn-trace-id"] as string | undefined;
  }

  get senderId(): string {
    return this.verifiedKey ?? senderIdFrom(this.req.headers.authorization, this.shared.accountId);
  }

  queueUrl(name: string): string {
    return buildQueueUrl(this.urlBase(), this.shared.accountId, name);
  }

  queueUrlAt(path: string): string {
    return `${this.urlBase()}${path}`;
  }

  private urlBase(): string {
    return this.shared.queueUrlBase(this.req.headers.host);
  }

  onAbandon(callback: () => void): void {
    const res = this.res;
    res.once("close", () => {
      if (!res.writableFinished) callback();
    });
  }
}
