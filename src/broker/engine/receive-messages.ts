import { MAX_VISIBILITY_SECONDS } from "./message-rules.ts";
import { deadLetterTargetFor, moveToDeadLetterQueue } from "./dead-letters.ts";
import type { EngineContext } from "./engine-context.ts";
import { SqsError, errors } from "./errors.ts";
import { assertValidFifoId } from "./fifo-ids.ts";
import { FifoQueue } from "./fifo-queue.ts";
import type { MessageState } from "./message-state.ts";
import type { ReceivedMessage } from "./message-types.ts";
import type { Queue, Waiter } from "./queue.ts";
import { forgetAttempt, rememberAttempt, renewAttempt } from "./receive-attempt-records.ts";
import type { AttemptMessage } from "./receive-attempts.ts";
import { selectAttributes, systemAttributeNames, toReceivedMessage } from "./received-message.ts";
import type { AttributeSelection } from "./received-message.ts";

export interface ReceiveMessageRequest {
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  /**
   * Deprecated by AWS in favour of MessageSystemAttributeNames. The protocol
   * layer passes only the list SQS reads when a request gives both.
   */
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  ReceiveRequestAttemptId?: string;
}

/** What one receive call needs, worked out once. */
interface Take {
  max: number;
  visibilityMs: number;
  selection: AttributeSelection;
  attemptId: string | undefined;
}

/**
 * ReceiveMessage. Answers at once when messages are visible or no wait was
 * asked for; otherwise waits (long polling) and answers the moment a message
 * becomes visible, or with nothing when the wait runs out.
 */
export function receiveMessages(
  ctx: EngineContext,
  queue: Queue,
  request: ReceiveMessageRequest,
  onWait?: (cancel: () => void) => void,
): ReceivedMessage[] | Promise<ReceivedMessage[]> {
  const take = planTake(queue, request);
  const waitSeconds = request.WaitTimeSeconds ?? queue.settings.receiveWaitSeconds;
  // One reading of the clock for the checks, the take and the metrics.
  const now = ctx.clock.now();
  assertInFlightRoom(ctx, queue, now);
  const immediate = takeMessages(ctx, queue, take, now);
  if (immediate.length > 0 || waitSeconds === 0) {
    queue.metrics.recordReceive(immediate.length, now);
    return immediate;
  }
  return new Promise((resolve, reject) => {
    const finish = (messages: ReceivedMessage[]) => {
      waiter.settled = true;
      timer.cancel();
      queue.metrics.recordReceive(messages.length, ctx.clock.now());
      resolve(messages);
    };
    const waiter: Waiter = {
      settled: false,
      tryServe() {
        if (queue.inFlightCount >= ctx.maxInFlight) return false;
        let messages: ReceivedMessage[];
        try {
          messages = takeMessages(ctx, queue, take, ctx.clock.now());
        } catch (error) {
          // A concurrent receive with the same attempt id, whose messages changed since.
          waiter.settled = true;
          timer.cancel();
          reject(error as Error);
          return true;
        }
        if (messages.length === 0) return false;
        finish(messages);
        return true;
      },
      cancel: () => finish([]),
    };
    const timer = ctx.clock.setTimer(waitSeconds * 1000, () => {
      if (!waiter.settled) finish([]);
    });
    // A client that hangs up must not take messages it will never see.
    onWait?.(() => waiter.settled || finish([]));
    queue.addWaiter(waiter);
  });
}

function planTake(queue: Queue, request: ReceiveMessageRequest): Take {
  const max = request.MaxNumberOfMessages ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw errors.invalidParameter(
      "MaxNumberOfMessages",
      max,
      "Must be between 1 and 10, if provided.",
    );
  }
  const wait = request.WaitTimeSeconds;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > 20)) {
    throw errors.invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
  }
  const visibility = request.VisibilityTimeout;
  if (
    visibility !== undefined &&
    (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS)
  ) {
    throw errors.invalidParameter(
      "VisibilityTimeout",
      visibility,
      `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  }
  const systemNames = [
    ...(request.AttributeNames ?? []),
    ...(request.MessageSystemAttributeNames ?? []),
  ];
  for (const name of systemNames) {
    if (!(systemAttributeNames as readonly string[]).includes(name)) {
      throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
  }
  // Only FIFO queues use an attempt id; a standard queue ignores it, as SQS documents.
  const attemptId = queue.fifo ? request.ReceiveRequestAttemptId : undefined;
  if (attemptId !== undefined) assertValidFifoId("ReceiveRequestAttemptId", attemptId);
  return {
    max,
    visibilityMs: visibility === undefined ? queue.settings.visibilityTimeoutMs : visibility * 1000,
    selection: selectAttributes(systemNames, request.MessageAttributeNames ?? []),
    attemptId,
  };
}

/**
 * A standard queue at its in-flight limit refuses receives (OverLimit); a
 * FIFO queue just returns nothing, as AWS documents for each.
 */
function assertInFlightRoom(ctx: EngineContext, queue: Queue, now: number): void {
  queue.refresh(now);
  if (queue.inFlightCount >= ctx.maxInFlight && !queue.fifo) {
    throw new SqsError(
      "OverLimit",
      "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.",
    );
  }
}

/**
 * Delivers up to `take.max` visible messages. On the way it drops messages
 * past their retention period and moves those received too often to the
 * dead-letter queue, so neither is ever returned.
 */
function takeMessages(
  ctx: EngineContext,
  queue: Queue,
  take: Take,
  now: number,
): ReceivedMessage[] {
  if (take.attemptId !== undefined && queue instanceof FifoQueue) {
    const repeated = repeatAttempt(ctx, queue, take, now);
    if (repeated) return repeated;
  }
  queue.refresh(now);
  const out: ReceivedMessage[] = [];
  const delivered: MessageState[] = [];
  try {
    while (out.length < take.max && queue.inFlightCount < ctx.maxInFlight) {
      const message = queue.pullVisible();
      if (!message) break;
      if (message.sentAt + queue.settings.retentionMs <= now) {
        queue.remove(message);
        ctx.store.deleteMessage(message.seq);
        continue;
      }
      const deadLetterQueue = deadLetterTargetFor(ctx, queue, message);
      if (deadLetterQueue) {
        moveToDeadLetterQueue(ctx, queue, deadLetterQueue, message, now);
        continue;
      }
      const payload = ctx.store.readPayload(message.seq);
      if (!payload) {
        queue.remove(message);
        continue;
      }
      queue.deliver(message, now, take.visibilityMs);
      // A FIFO receive locks its message group: were it lost in a crash,
      // another consumer could get the group's next messages while this one
      // still works on these, out of order. So only standard queues let the
      // store write the receive later (see BrokerStore.recordReceive).
      if (queue.fifo) ctx.store.updateMessage(message);
      else ctx.store.recordReceive(message);
      delivered.push(message);
      out.push(toReceivedMessage(queue, message, payload, take.selection));
    }
  } finally {
    queue.endTake();
  }
  // Best-effort order: a standard queue's receive answers in no particular order.
  if (!queue.fifo && out.length > 1) ctx.shuffle?.(out);
  if (take.attemptId !== undefined && queue instanceof FifoQueue && delivered.length > 0) {
    rememberAttempt(ctx, queue, take.attemptId, delivered.map(attemptMessage), now);
  }
  return out;
}

/**
 * A retried FIFO receive: the same messages and handles, with their
 * visibility timeout restarted, as long as none was deleted, received again
 * or had its visibility changed since; if one was, the retry is refused, as
 * AWS refuses it. Once the attempt's visibility timeout ran out with its
 * messages untouched, the attempt is over and the call is a new receive
 * (the API reference promises the same messages only "during a visibility
 * timeout"): it gets those messages again, first of their groups, with new
 * handles.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
function repeatAttempt(
  ctx: EngineContext,
  queue: FifoQueue,
  take: Take,
  now: number,
): ReceivedMessage[] | undefined {
  const id = take.attemptId as string;
  const attempt = queue.attempts.find(id, now);
  if (!attempt) return undefined;
  const messages: MessageState[] = [];
  for (const [seq, count, visibleAt] of attempt.messages) {
    const message = queue.messages.get(seq);
    const untouched =
      message !== undefined &&
      message.receiveCount === count &&
      (visibleAt === undefined || message.visibleAt === visibleAt);
    if (!untouched) {
      throw errors.invalidParameter(
        "ReceiveRequestAttemptId",
        id,
        "The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.",
      );
    }
    messages.push(message);
  }
  if (messages.some((m) => m.visibleAt <= now)) {
    forgetAttempt(ctx, queue, id);
    return undefined;
  }
  const out: ReceivedMessage[] = [];
  for (const message of messages) {
    const payload = ctx.store.readPayload(message.seq);
    if (!payload) continue;
    queue.changeVisibility(message, now, take.visibilityMs);
    ctx.store.updateMessage(message);
    out.push(toReceivedMessage(queue, message, payload, take.selection));
  }
  renewAttempt(ctx, queue, id, attempt, messages.map(attemptMessage));
  return out;
}

function attemptMessage(message: MessageState): AttemptMessage {
  return [message.seq, message.receiveCount, message.visibleAt];
}
