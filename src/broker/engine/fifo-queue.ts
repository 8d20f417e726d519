import { DedupCache } from "./dedup-cache.ts";
import { Deque } from "./deque.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import { Queue } from "./queue.ts";
import { ReceiveAttempts } from "./receive-attempts.ts";

/** One message group: its messages in send order, and which of them are in flight. */
interface MessageGroup {
  id: string;
  /** Messages not in flight, in seq order (delayed ones included, gone ones lazily skipped). */
  pending: Deque<MessageState>;
  /** Seqs of its messages in flight, ascending. */
  inFlight: number[];
  /** Messages whose visibility ran out during a receive taking from the group. */
  returning: MessageState[];
  /** Whether the group sits in `readyGroups`. */
  queued: boolean;
}

/**
 * A FIFO queue: order is kept within each message group, and no message is
 * delivered while an earlier one of its group is in flight. A message that
 * comes back (its visibility ended) while later ones are still in flight is
 * delivered again before them, as SQS does (LocalStack's AWS-validated
 * test_fifo_group_visibility_extends_with_change_message_visibility: foo,
 * bar, baz in flight, bar's visibility extended, the next receive gets foo
 * alone). Groups that can deliver wait in `readyGroups`, round-robin, so a
 * receive never scans locked groups.
 */
export class FifoQueue extends Queue {
  readonly fifo = true;
  readonly dedup = new DedupCache();
  readonly attempts = new ReceiveAttempts();
  private readonly groups = new Map<string, MessageGroup>();
  private readonly readyGroups = new Deque<MessageGroup>();
  private current: MessageGroup | undefined;
  /** The current group's earliest message in flight when the take began: it stops the take. */
  private currentLimit = Infinity;

  pullVisible(): MessageState | undefined {
    for (;;) {
      if (!this.current) {
        const group = this.readyGroups.shift();
        if (!group) return undefined;
        group.queued = false;
        this.current = group;
        // Messages taken now go in flight too, but never stop their own take.
        this.currentLimit = group.inFlight[0] ?? Infinity;
      }
      const group = this.current;
      const head = firstLive(group);
      if (head?.status === MessageStatus.Visible && head.seq < this.currentLimit) {
        group.pending.shift();
        return head;
      }
      this.current = undefined;
      this.settle(group);
    }
  }

  /** Called before endTake(), while the message's group is still the one being taken from. */
  putBack(message: MessageState): void {
    this.groupOf(message).pending.unshift(message);
  }

  override endTake(): void {
    const group = this.current;
    this.current = undefined;
    if (group) this.settle(group);
  }

  protected override placed(message: MessageState): void {
    const group = this.groupOf(message);
    if (message.status === MessageStatus.InFlight) insertSorted(group.inFlight, message.seq);
    else group.pending.push(message);
  }

  protected becameVisible(message: MessageState, returning: boolean): void {
    const group = this.groupOf(message);
    if (returning) {
      group.returning.push(message);
      removeSorted(group.inFlight, message.seq);
    }
    this.settle(group);
  }

  protected override deliveredFromGroup(message: MessageState): void {
    insertSorted(this.groupOf(message).inFlight, message.seq);
  }

  protected override leftGroupInFlight(message: MessageState): void {
    const group = this.groupOf(message);
    removeSorted(group.inFlight, message.seq);
    this.settle(group);
  }

  protected clearOrder(): void {
    this.groups.clear();
    this.readyGroups.clear();
    this.current = undefined;
  }

  /**
   * Brings a group up to date (not while a receive takes from it): returned
   * messages go back among the pending ones in send order, and the group
   * queues for delivery if its first message is visible and no earlier one
   * is in flight. Idle groups are forgotten.
   */
  private settle(group: MessageGroup): void {
    if (group === this.current) return;
    if (group.returning.length > 0) returnToPending(group);
    const head = firstLive(group);
    if (!head) {
      if (!group.queued && group.inFlight.length === 0) this.groups.delete(group.id);
      return;
    }
    const earliestInFlight = group.inFlight[0] ?? Infinity;
    if (head.status === MessageStatus.Visible && head.seq < earliestInFlight && !group.queued) {
      group.queued = true;
      this.readyGroups.push(group);
      this.notifyVisible();
    }
  }

  private groupOf(message: MessageState): MessageGroup {
    const id = message.groupId ?? "";
    let group = this.groups.get(id);
    if (!group) {
      group = { id, pending: new Deque(), inFlight: [], returning: [], queued: false };
      this.groups.set(id, group);
    }
    return group;
  }
}

/**
 * Puts a group's returned messages back among its pending ones, in seq
 * order. A returned message was delivered, so it comes before every message
 * never delivered: only the front of `pending` (messages returned before)
 * can interleave with it.
 */
function returnToPending(group: MessageGroup): void {
  const back = group.returning.filter((message) => message.status !== MessageStatus.Gone);
  group.returning = [];
  if (back.length === 0) return;
  const latest = Math.max(...back.map((message) => message.seq));
  for (let head = group.pending.peek(); head !== undefined && head.seq < latest;) {
    back.push(group.pending.shift()!);
    head = group.pending.peek();
  }
  back.sort((a, b) => b.seq - a.seq);
  for (const message of back) group.pending.unshift(message);
}

function insertSorted(seqs: number[], seq: number): void {
  let index = seqs.length;
  while (index > 0 && seqs[index - 1]! > seq) index--;
  seqs.splice(index, 0, seq);
}

function removeSorted(seqs: number[], seq: number): void {
  const index = seqs.indexOf(seq);
  if (index !== -1) seqs.splice(index, 1);
}

/** The group's first message that is still live, dropping gone ones from the front. */
function firstLive(group: MessageGroup): MessageState | undefined {
  let head = group.pending.peek();
  while (head && head.status === MessageStatus.Gone) {
    group.pending.shift();
    head = group.pending.peek();
  }
  return head;
}
