import type { EngineContext } from "./engine-context.ts";
import { FifoQueue } from "./fifo-queue.ts";
import type { Attempt, AttemptMessage } from "./receive-attempts.ts";
import type { BrokerStore, EngineRecord } from "./store.ts";

/**
 * FIFO receive attempts, kept in the store as engine records as well as in
 * their queue's memory: a client retries a receive with the same
 * ReceiveRequestAttemptId precisely when the broker failed to answer, and a
 * restart is such a failure. Without the record the retry would find the
 * group locked by the messages of the lost answer until their visibility
 * timeout ran out.
 */
const RECEIVE_ATTEMPT = "receive-attempt";

export function rememberAttempt(
  ctx: EngineContext,
  queue: FifoQueue,
  id: string,
  messages: AttemptMessage[],
  now: number,
): void {
  const attempt = queue.attempts.remember(id, messages, now);
  storeRecord(ctx, queue, id, attempt);
  ctx.expiresAt(attempt.expiresAt);
}

/** Keeps a repeated attempt's new visibility deadlines, within its first five minutes. */
export function renewAttempt(
  ctx: EngineContext,
  queue: FifoQueue,
  id: string,
  attempt: Attempt,
  messages: AttemptMessage[],
): void {
  // In place: the attempt keeps its expiry, and its place in the expiry order.
  attempt.messages = messages;
  storeRecord(ctx, queue, id, attempt);
}

export function forgetAttempt(ctx: EngineContext, queue: FifoQueue, id: string): void {
  queue.attempts.forget(id);
  forgetRecord(ctx.store, queue, id);
}

/**
 * Forgets at most `max` of the queue's attempts expired at `now`, in memory
 * and in the store; returns how many. The expiry sweeper calls it: most
 * attempts are never retried, so nothing else would ever look at them.
 */
export function pruneAttempts(
  store: BrokerStore,
  queue: FifoQueue,
  now: number,
  max: number,
): number {
  const expired = queue.attempts.prune(now, max);
  for (const id of expired) forgetRecord(store, queue, id);
  return expired.length;
}

/** Forgets every attempt of a queue being deleted, in memory and in the store. */
export function forgetQueueAttempts(ctx: EngineContext, queue: FifoQueue): void {
  for (const id of queue.attempts.forgetAll()) forgetRecord(ctx.store, queue, id);
}

/** Puts the stored attempts back into their queues, in expiry order; drops expired ones and those of queues gone. */
export function restoreAttempts(ctx: EngineContext, stored: readonly EngineRecord[]): void {
  const now = ctx.clock.now();
  const live: Array<{ queue: FifoQueue; id: string; attempt: Attempt }> = [];
  for (const { key, value } of stored) {
    const separator = key.indexOf("/");
    const queue = ctx.queues.findById(Number(key.slice(0, separator)));
    const attempt = JSON.parse(value) as Attempt;
    if (queue instanceof FifoQueue && attempt.expiresAt > now) {
      live.push({ queue, id: key.slice(separator + 1), attempt });
    } else {
      ctx.store.putEngineRecord(RECEIVE_ATTEMPT, key, undefined);
    }
  }
  live.sort((a, b) => a.attempt.expiresAt - b.attempt.expiresAt);
  for (const { queue, id, attempt } of live) queue.attempts.restore(id, attempt);
}

function storeRecord(ctx: EngineContext, queue: FifoQueue, id: string, attempt: Attempt): void {
  ctx.store.putEngineRecord(RECEIVE_ATTEMPT, recordKey(queue, id), JSON.stringify(attempt));
}

function forgetRecord(store: BrokerStore, queue: FifoQueue, id: string): void {
  store.putEngineRecord(RECEIVE_ATTEMPT, recordKey(queue, id), undefined);
}

/** The queue's id, not its name: a queue re-created under the same name must not inherit them. */
function recordKey(queue: FifoQueue, id: string): string {
  return `${queue.id}/${id}`;
}
