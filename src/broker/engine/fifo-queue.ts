import { DedupCache } from "./dedup-cache.ts";
import { Deque } from "./deque.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import { Queue } from "./queue.ts";
import { ReceiveAttempts } from "./receive-attempts.ts";

/** One message group: its messages in send order, and how many of them are in flight. */
interface MessageGroup {
  id: string;
  /** Messages not in flight, in seq order (delayed ones included, gone ones lazily skipped). */
  pending: Deque<MessageState>;
  inFlight: number;
  /** Messages whose visibility ran out while others of the group were still in flight. */
  returning: MessageState[];
  /** Whether the group sits in `readyGroups`. */
  queued: boolean;
}

/**
 * A FIFO queue: order is kept within each message group, and while any
 * message of a group is in flight no later message of it is delivered.
 * Groups that can deliver wait in `readyGroups`, round-robin, so a receive
 * never scans locked groups.
 */
export class FifoQueue extends Queue {
  readonly fifo = true;
  readonly dedup = new DedupCache();
  readonly attempts = new ReceiveAttempts();
  private readonly groups = new Map<string, MessageGroup>();
  private readonly readyGroups = new Deque<MessageGroup>();
  private current: MessageGroup | undefined;

  pullVisible(): MessageState | undefined {
    for (;;) {
      if (!this.current) {
        const group = this.readyGroups.shift();
        if (!group) return undefined;
        group.queued = false;
        if (group.inFlight > 0) continue;
        this.current = group;
      }
      const group = this.current;
      const head = firstLive(group);
      if (head?.status === MessageStatus.Visible) {
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
    if (message.status === MessageStatus.InFlight) group.inFlight++;
    else group.pending.push(message);
  }

  protected becameVisible(message: MessageState, returning: boolean): void {
    const group = this.groupOf(message);
    if (returning) {
      group.returning.push(message);
      group.inFlight--;
    }
    this.settle(group);
  }

  protected override deliveredFromGroup(message: MessageState): void {
    this.groupOf(message).inFlight++;
  }

  protected override leftGroupInFlight(message: MessageState): void {
    const group = this.groupOf(message);
    group.inFlight--;
    this.settle(group);
  }

  protected clearOrder(): void {
    this.groups.clear();
    this.readyGroups.clear();
    this.current = undefined;
  }

  /**
   * Brings a group up to date once nothing of it is in flight: returned
   * messages go back to the front in send order, and the group queues for
   * delivery if its first message is visible. Idle groups are forgotten.
   */
  private settle(group: MessageGroup): void {
    if (group.inFlight > 0 || group === this.current) return;
    if (group.returning.length > 0) {
      group.returning.sort((a, b) => b.seq - a.seq);
      for (const message of group.returning) {
        if (message.status !== MessageStatus.Gone) group.pending.unshift(message);
      }
      group.returning = [];
    }
    const head = firstLive(group);
    if (!head) {
      if (!group.queued) this.groups.delete(group.id);
      return;
    }
    if (head.status === MessageStatus.Visible && !group.queued) {
      group.queued = true;
      this.readyGroups.push(group);
      this.notifyVisible();
    }
  }

  private groupOf(message: MessageState): MessageGroup {
    const id = message.groupId ?? "";
    let group = this.groups.get(id);
    if (!group) {
      group = { id, pending: new Deque(), inFlight: 0, returning: [], queued: false };
      this.groups.set(id, group);
    }
    return group;
  }
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
