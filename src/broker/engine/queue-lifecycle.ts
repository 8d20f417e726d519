import type { EngineContext } from "./engine-context.ts";
import { FifoQueue } from "./fifo-queue.ts";
import { SqsError } from "./errors.ts";
import { settingsFrom } from "./queue-settings.ts";
import {
  applyEncryptionRules,
  assertThroughputRule,
  attributeValue,
  normalizeAttributes,
} from "./queue-attributes.ts";
import { queueArn } from "./queue-arn.ts";
import { QUEUE_NAME_REUSE_DELAY_MS } from "./queue-registry.ts";
import { assertValidQueueName } from "./queue-name.ts";
import type { Queue } from "./queue.ts";
import { forgetQueueAttempts } from "./receive-attempt-records.ts";
import { assertValidRedriveTarget } from "./redrive-checks.ts";
import { formatRedrivePolicy, parseRedrivePolicy } from "./redrive-policy.ts";
import { assertValidTags } from "./queue-tags.ts";
import type { EngineRecord, EngineRecordKind, QueueRecord } from "./store.ts";

/** The engine record that keeps a deleted queue's name taken across a restart. */
const DELETED_NAME: EngineRecordKind = "deleted-queue-name";

/** How often a queue may be purged. */
const PURGE_INTERVAL_MS = 60_000;

export interface CreateQueueOptions {
  /**
   * Create it even if its name was deleted less than a minute ago. For the
   * broker's own provisioning at start, which is no client racing SQS's
   * eventual consistency. Default false (QueueDeletedRecently).
   */
  evenIfDeletedRecently?: boolean;
}

/**
 * CreateQueue. Creating a queue that exists with the same attributes returns
 * it (tags are then ignored, as on AWS); with a different value it is an error.
 */
export function createQueue(
  ctx: EngineContext,
  name: string,
  attributes: Record<string, string>,
  tags: Record<string, string>,
  options: CreateQueueOptions = {},
): Queue {
  const fifo = String(attributes.FifoQueue ?? "").toLowerCase() === "true";
  assertValidQueueName(name, fifo);
  const normalized = normalizeAttributes(attributes, fifo, true);
  if (fifo) normalized.FifoQueue = "true";
  else delete normalized.FifoQueue;
  assertThroughputRule(normalized, fifo);

  const existing = ctx.queues.find(name);
  if (existing) {
    assertSameAttributes(existing, normalized);
    return existing;
  }
  const now = ctx.clock.now();
  const waitForName = !ctx.relaxedTiming && options.evenIfDeletedRecently !== true;
  if (waitForName && ctx.queues.deletedRecently(name, now)) {
    throw new SqsError(
      "QueueDeletedRecently",
      "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    );
  }
  if (normalized.RedrivePolicy) {
    assertValidRedriveTarget(ctx, queueArn(ctx.location, name), fifo, normalized.RedrivePolicy);
  }
  assertValidTags(name, tags);
  const record: QueueRecord = {
    id: ctx.queues.allocateId(),
    name,
    attributes: dropEmpty(withEncryption(normalized)),
    tags: { ...tags },
    createdAt: now,
    lastModifiedAt: now,
    lastPurgedAt: 0,
  };
  // Reads every setting (the redrive policies in full) before anything is kept.
  settingsFrom(record.attributes, fifo);
  ctx.store.putQueue(record);
  if (ctx.queues.forgetDeletedName(name)) ctx.store.putEngineRecord(DELETED_NAME, name, undefined);
  return ctx.queues.add(record);
}

function assertSameAttributes(existing: Queue, requested: Record<string, string>): void {
  for (const [name, value] of Object.entries(requested)) {
    const current = attributeValue(existing.record.attributes, name, existing.fifo) ?? "";
    if (reportedForm(name, current) !== reportedForm(name, value)) {
      throw new SqsError(
        "QueueNameExists",
        `A queue already exists with the same name and a different value for attribute ${name}`,
      );
    }
  }
}

/**
 * A value as GetQueueAttributes reports it, so that CreateQueue given the
 * attributes a queue reports finds them the same: the report writes a
 * RedrivePolicy's maxReceiveCount as a number, whatever was given.
 */
function reportedForm(name: string, value: string): string {
  if (name === "RedrivePolicy" && value !== "") {
    return formatRedrivePolicy(parseRedrivePolicy(value));
  }
  return value;
}

/** DeleteQueue: its messages go at once, its long polls are answered empty, its name is held for 60 s. */
export function deleteQueue(ctx: EngineContext, queue: Queue): void {
  const now = ctx.clock.now();
  queue.clear();
  if (queue instanceof FifoQueue) forgetQueueAttempts(ctx, queue);
  queue.releaseWaiters();
  ctx.queues.remove(queue, now);
  ctx.store.removeQueue(queue.id);
  // Kept so that the name stays taken across a restart too.
  ctx.store.putEngineRecord(DELETED_NAME, queue.name, JSON.stringify({ deletedAt: now }));
}

/** Restores the names deleted less than a minute ago (stored values); forgets older ones. */
export function restoreDeletedNames(ctx: EngineContext, stored: readonly EngineRecord[]): void {
  const now = ctx.clock.now();
  for (const { key: name, value } of stored) {
    const { deletedAt } = JSON.parse(value) as { deletedAt: number };
    const stillTaken = now - deletedAt < QUEUE_NAME_REUSE_DELAY_MS;
    if (stillTaken && ctx.queues.find(name) === undefined) {
      ctx.queues.restoreDeletedName(name, deletedAt);
    } else {
      ctx.store.putEngineRecord(DELETED_NAME, name, undefined);
    }
  }
}

/** PurgeQueue: deletes every message sent before the call, at most once a minute. */
export function purgeQueue(ctx: EngineContext, queue: Queue, upToSeq: number): void {
  const now = ctx.clock.now();
  const last = queue.record.lastPurgedAt;
  if (!ctx.relaxedTiming && last > 0 && now - last < PURGE_INTERVAL_MS) {
    throw new SqsError(
      "PurgeQueueInProgress",
      `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
    );
  }
  queue.clear();
  if (queue instanceof FifoQueue) queue.dedup.clear();
  ctx.store.purgeMessages(queue.id, upToSeq);
  queue.record.lastPurgedAt = now;
  ctx.store.putQueue(queue.record);
}

/** SetQueueAttributes. An empty policy removes it. */
export function setQueueAttributes(
  ctx: EngineContext,
  queue: Queue,
  attributes: Record<string, string>,
): void {
  const normalized = normalizeAttributes(attributes, queue.fifo, false);
  if (normalized.RedrivePolicy) {
    assertValidRedriveTarget(ctx, queue.arn, queue.fifo, normalized.RedrivePolicy);
  }
  const merged = { ...queue.record.attributes, ...normalized };
  applyEncryptionRules(merged, normalized);
  assertThroughputRule(merged, queue.fifo);
  const delayBefore = queue.settings.delayMs;
  queue.applyAttributes(dropEmpty(merged));
  queue.record.lastModifiedAt = ctx.clock.now();
  ctx.store.putQueue(queue.record);
  if (queue.fifo && queue.settings.delayMs !== delayBefore) redelayFifoMessages(ctx, queue);
  const oldest = queue.oldest();
  if (oldest) ctx.expiresAt(oldest.sentAt + queue.settings.retentionMs);
}

/**
 * A FIFO queue's DelaySeconds is retroactive, as SQS documents: a change
 * applies to the messages already in the queue and not yet received, from
 * their send time (a standard queue's applies to new messages only).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html
 */
function redelayFifoMessages(ctx: EngineContext, queue: Queue): void {
  const changed = queue.redelayUnreceived(queue.settings.delayMs, ctx.clock.now());
  for (const message of changed) ctx.store.updateMessage(message);
}

function withEncryption(attributes: Record<string, string>): Record<string, string> {
  const merged = { ...attributes };
  applyEncryptionRules(merged, attributes);
  return merged;
}

function dropEmpty(attributes: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== "") kept[name] = value;
  return kept;
}
