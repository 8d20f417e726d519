import { ChangeMessageVisibilityBatchCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { keepHidden } from "../aws/visibility-heartbeat.ts";
import { handleRequestMessage } from "./handle-request-message.ts";
import type { HandledAs, RequestHandlerContext } from "./handle-request-message.ts";

/** Outcomes after which a request is off the queue: the next of its group may go. */
const SETTLED: ReadonlySet<HandledAs> = new Set(["made", "repeat", "rejected"]);

/**
 * Handles one receive's requests, calling `onHandled` for each. On a standard
 * queue they all go at once. On a FIFO queue SQS may hand several of one
 * message group in one receive, in their order, and the order is the point:
 * two requests for one widget must reach the maker as they were sent. So the
 * requests of a group go one after another (groups side by side), and once
 * one of them is not settled (retried later, given up, its response not
 * sent), the later ones of its group are not handled but made visible again
 * at once: SQS delivers none of a group while an earlier message of it is in
 * flight, so they come back after it, in order
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html).
 * Throws, once every group has finished, the first error a request threw
 * (a response queue gone).
 */
export async function handleBatch(
  ctx: RequestHandlerContext,
  messages: readonly Message[],
  onHandled: (how: HandledAs) => void,
): Promise<void> {
  const fifo = ctx.requestQueueUrl.endsWith(".fifo");
  const lines = fifo ? byMessageGroup(messages) : messages.map((message) => [message]);
  const finished = await Promise.allSettled(
    lines.map((line) => handleInOrder(ctx, line, onHandled)),
  );
  const fatal = finished.find((result) => result.status === "rejected");
  if (fatal) throw fatal.reason;
}

async function handleInOrder(
  ctx: RequestHandlerContext,
  line: readonly Message[],
  onHandled: (how: HandledAs) => void,
): Promise<void> {
  // The later ones wait their turn in flight: kept hidden, or another consumer
  // could take one once the group's earlier requests are deleted.
  const waiting = line.slice(1).map((message) => keepWaitingHidden(ctx, message));
  try {
    for (const [index, message] of line.entries()) {
      if (index > 0) await waiting[index - 1]!();
      const how = await handleRequestMessage(ctx, message);
      onHandled(how);
      if (!SETTLED.has(how) && index + 1 < line.length) {
        await Promise.all(waiting.slice(index).map((stop) => stop()));
        await holdBack(ctx, line.slice(index + 1), message);
        for (let held = index + 1; held < line.length; held += 1) onHandled("held-back");
        return;
      }
    }
  } finally {
    // After an error: the rest are left to come back after their visibility timeout.
    await Promise.all(waiting.map((stop) => stop()));
  }
}

/** The requests of each message group, in the order received (SQS's order within a group). */
function byMessageGroup(messages: readonly Message[]): Message[][] {
  const groups = new Map<string, Message[]>();
  for (const message of messages) {
    const group = message.Attributes?.MessageGroupId ?? "";
    const line = groups.get(group);
    if (line) line.push(message);
    else groups.set(group, [message]);
  }
  return [...groups.values()];
}

function keepWaitingHidden(ctx: RequestHandlerContext, message: Message): () => Promise<void> {
  if (ctx.visibilitySeconds <= 0) return () => Promise.resolve();
  const log = ctx.logger.child({ messageId: message.MessageId });
  return keepHidden(
    ctx.sqs,
    ctx.requestQueueUrl,
    message.ReceiptHandle!,
    ctx.visibilitySeconds,
    log,
  );
}

/** Makes `held` visible again at once; they come back once `behind` is deleted or visible. */
async function holdBack(
  ctx: RequestHandlerContext,
  held: readonly Message[],
  behind: Message,
): Promise<void> {
  const group = behind.Attributes?.MessageGroupId;
  for (const message of held) {
    ctx.logger.info(
      { messageId: message.MessageId, messageGroupId: group, behind: behind.MessageId },
      `request ${message.MessageId} held back: ${behind.MessageId}, before it in message group ${group}, is not settled yet`,
    );
  }
  try {
    const { Failed = [] } = await ctx.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: ctx.requestQueueUrl,
        Entries: held.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
    for (const failure of Failed) {
      ctx.logger.warn(
        { messageId: held[Number(failure.Id)]?.MessageId, reason: failure.Message },
        `a held-back request could not be made visible again (${failure.Message ?? failure.Code}); it comes back after its visibility timeout, still after the earlier one`,
      );
    }
  } catch (error) {
    ctx.logger.warn(
      { err: error },
      "the held-back requests could not be made visible again; they come back after their visibility timeout, still after the earlier one",
    );
  }
}
