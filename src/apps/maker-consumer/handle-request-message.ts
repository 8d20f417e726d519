import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { AppError } from "../app-error.ts";
import { isMissingQueue } from "../aws/missing-queue.ts";
import { queueNameOf } from "../aws/queue-url.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { keepHidden } from "../aws/visibility-heartbeat.ts";
import { postWidgetRequest } from "./maker-client.ts";
import type { MakerReply } from "./maker-client.ts";
import { makerResponse } from "./maker-response.ts";
import type { RequestIds } from "./request-ids.ts";
import { readRequestIds } from "./request-ids.ts";
import { classifyReply } from "./request-outcome.ts";
import type { RequestOutcome } from "./request-outcome.ts";
import { decideRetry } from "./retry-decision.ts";
import { visibilityLeftSeconds } from "../aws/sqs-limits.ts";
import type { RetryPolicy } from "../retry-policy.ts";

/** Everything handling one request message needs; fixed for a consumer's lifetime. */
export interface RequestHandlerContext {
  readonly sqs: SQSClient;
  readonly requestQueueUrl: string;
  readonly responseQueueUrl: string;
  /** Where requests are POSTed (see `widgetsEndpoint`). */
  readonly makerEndpoint: string;
  readonly requestTimeoutMs: number;
  /** How long a received request stays hidden, seconds: renewed while its POST runs. */
  readonly visibilitySeconds: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
}

/** How one received message was handled, for the consumer's summary. */
export type HandledAs = "made" | "repeat" | "rejected" | "retrying" | "gave-up" | "failed";

/**
 * Settles one request: made or rejected -> response sent, then request
 * deleted (in that order, so a crash between them repeats the response rather
 * than losing it); maker unavailable -> the request stays, hidden for a growing
 * while, until its receive count reaches `maxReceives`. Throws an `AppError`
 * when the response queue no longer exists (the request is left on its queue).
 */
export async function handleRequestMessage(
  ctx: RequestHandlerContext,
  message: Message,
): Promise<HandledAs> {
  // Handled as soon as received (a receive's messages are handled together).
  const receivedAt = performance.now();
  const body = message.Body ?? "";
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? "1");
  const ids = readRequestIds(body);
  const log = ctx.logger.child({
    messageId: message.MessageId,
    requestId: ids.requestId,
    widgetId: ids.widgetId,
    receiveCount,
  });
  const outcome: RequestOutcome =
    ids.problem === undefined
      ? classifyReply(await postKeptHidden(ctx, message, body, log))
      : { kind: "rejected", reason: ids.problem };
  // The messages carry the details too: a terminal's text lines show only the message.
  const widget = `widget ${ids.widgetId ?? "(no id)"}`;
  if (outcome.kind === "unavailable")
    return retryLater(ctx, message, { widget, receiveCount, receivedAt }, outcome.reason, log);

  const response = makerResponse(ids, outcome, message.MessageId);
  try {
    await ctx.sqs.send(
      new SendMessageCommand({
        QueueUrl: ctx.responseQueueUrl,
        MessageBody: JSON.stringify(response),
        ...fifoFields(ctx.responseQueueUrl, message, ids),
      }),
      { abortSignal: sqsCallSignal() },
    );
  } catch (error) {
    // Every response would fail the same way, and every request would end in the
    // dead-letter queue, answered by nobody: stop, as for a missing request queue.
    if (isMissingQueue(error)) {
      throw new AppError(`the response queue ${ctx.responseQueueUrl} no longer exists`, 1, {
        cause: error,
      });
    }
    log.error(
      { err: explainNoAnswer(error, "send to", queueNameOf(ctx.responseQueueUrl)) },
      "cannot send the response; the request will come back",
    );
    return "failed";
  }
  try {
    await ctx.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: ctx.requestQueueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
      { abortSignal: sqsCallSignal() },
    );
  } catch (error) {
    // The maker is idempotent: when the request comes back it is answered again, same outcome.
    log.warn(
      { err: explainNoAnswer(error, "delete from", queueNameOf(ctx.requestQueueUrl)) },
      "cannot delete the request; it will come back and be answered again",
    );
  }
  if (outcome.kind === "made") {
    log.info(
      { location: outcome.location, httpStatus: outcome.status },
      outcome.status === 201
        ? `${widget} made (HTTP 201)`
        : `${widget} was already made (HTTP ${outcome.status})`,
    );
    return outcome.status === 201 ? "made" : "repeat";
  }
  const status = outcome.status === undefined ? "" : ` (HTTP ${outcome.status})`;
  log.info(
    { reason: outcome.reason, httpStatus: outcome.status },
    `request for ${widget} rejected${status}: ${outcome.reason}`,
  );
  return "rejected";
}

/**
 * POSTs the request while keeping its message hidden: a maker slower than
 * the visibility timeout would otherwise see it again from another
 * consumer (made twice, answered twice), each time using up a receive
 * before the dead-letter queue. The renewals stop with the POST, before the
 * message is answered, deleted or delayed for a retry.
 */
async function postKeptHidden(
  ctx: RequestHandlerContext,
  message: Message,
  body: string,
  log: Logger,
): Promise<MakerReply> {
  // A visibility timeout of 0 hides nothing: there is nothing to renew.
  const stopHeartbeat =
    ctx.visibilitySeconds > 0
      ? keepHidden(ctx.sqs, ctx.requestQueueUrl, message.ReceiptHandle!, ctx.visibilitySeconds, log)
      : () => Promise.resolve();
  try {
    return await postWidgetRequest(ctx.makerEndpoint, body, ctx.requestTimeoutMs);
  } finally {
    // Awaited: a renewal landing after a retry's delay would cut it to one visibility timeout.
    await stopHeartbeat();
  }
}

async function retryLater(
  ctx: RequestHandlerContext,
  message: Message,
  attempt: { widget: string; receiveCount: number; receivedAt: number },
  reason: string,
  log: Logger,
): Promise<HandledAs> {
  const { receiveCount } = attempt;
  const which = `${attempt.widget} on receive ${receiveCount}`;
  const decision = decideRetry(ctx.retry, receiveCount, visibilityLeftSeconds(attempt.receivedAt));
  if (decision.kind === "give-up") {
    // Not extending it: once its visibility timeout passes, the next receive
    // finds it over the queue's maxReceiveCount and moves it to the dead-letter queue.
    log.warn(
      { reason, maxReceives: ctx.retry.maxReceives },
      `maker unavailable for ${which} of ${ctx.retry.maxReceives}: ${reason}; giving up on the request, left for the queue's dead-letter redrive`,
    );
    return "gave-up";
  }
  try {
    await ctx.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: ctx.requestQueueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: decision.afterSeconds,
      }),
      { abortSignal: sqsCallSignal() },
    );
  } catch (caught) {
    // It still comes back, after the visibility timeout it was received with.
    const error = explainNoAnswer(caught, "change visibility on", queueNameOf(ctx.requestQueueUrl));
    const why = error instanceof Error ? error.message : String(error);
    log.warn(
      { reason, err: error },
      `maker unavailable for ${which}: ${reason}; its retry could not be delayed (${why}), so it comes back after the visibility timeout it was received with`,
    );
    return "retrying";
  }
  log.warn(
    { reason, retryInSeconds: decision.afterSeconds },
    `maker unavailable for ${which}: ${reason}; will retry in ${decision.afterSeconds} s`,
  );
  return "retrying";
}

/**
 * A FIFO response queue needs a group: the widget's id, so each widget's
 * responses keep their order, unless SQS would refuse it as a group id
 * (empty, a space, over 128 characters: the very requests that are
 * rejected). The request's message id makes resends of one response dedupe.
 */
function fifoFields(queueUrl: string, request: Message, ids: RequestIds) {
  if (!queueUrl.endsWith(".fifo")) return {};
  const widgetId = ids.widgetId ?? "";
  return {
    MessageGroupId: FIFO_GROUP_ID.test(widgetId) ? widgetId : "maker-consumer",
    MessageDeduplicationId: request.MessageId,
  };
}

/** What SQS takes as a MessageGroupId: 1 to 128 printable ASCII characters, no space. */
const FIFO_GROUP_ID = /^[\x21-\x7e]{1,128}$/;
