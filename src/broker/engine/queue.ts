import type { Clock, Timer } from "./clock.ts";
import { Deque } from "./deque.ts";
import { IndexedHeap } from "./indexed-heap.ts";
import type { HeapItem } from "./indexed-heap.ts";
import type { MessageState } from "./message-state.ts";
import { MessageStatus, visibleEarlier } from "./message-state.ts";
import { QueueMetrics } from "./queue-metrics.ts";
import { settingsFrom } from "./queue-settings.ts";
import { formatRedrivePolicy } from "./redrive-policy.ts";
import { SeqIndex } from "./seq-index.ts";
import type { QueueSettings } from "./queue-settings.ts";
import type { QueueRecord } from "./store.ts";

/** A ReceiveMessage call waiting for messages (long polling). */
export interface Waiter {
  /** Tries to fill the waiting request; returns true when it was answered. */
  tryServe(): boolean;
  /** Answers with no messages (queue deleted, broker closing). */
  cancel(): void;
  settled: boolean;
}

/**
 * One queue's messages and their states. Subclasses decide delivery order
 * (standard: send order, best effort; FIFO: per-group order with group
 * locking). Everything here is O(1) or O(log n) per message, whatever the depth.
 *
 * Messages waiting on time (delayed, or in flight until their visibility
 * timeout) sit in one heap ordered by `visibleAt`; `refresh` moves the due
 * ones to the delivery order. Long polls wait in `waiters` and are served as
 * soon as something becomes visible: on send, on a visibility change, or by
 * a timer set for the earliest `visibleAt`.
 */
export abstract class Queue {
  abstract readonly fifo: boolean;
  settings: QueueSettings;
  /** Live messages by seq, iterated in send order, which retention relies on (see SeqIndex). */
  readonly messages = new SeqIndex<MessageState>();
  visibleCount = 0;
  inFlightCount = 0;
  delayedCount = 0;
  /** CloudWatch-style counts of this queue, dropped with it. */
  readonly metrics: QueueMetrics;

  private readonly timed = new IndexedHeap<MessageState>(visibleEarlier);
  /** See `oldest`. Entries of messages gone since are dropped when they come to the top. */
  private readonly latecomers = new IndexedHeap<Latecomer>(sentEarlier);
  /** The latest send time of a message added so far. */
  private newestSentAt = -Infinity;
  private readonly waiters = new Deque<Waiter>();
  private wakeTimer: Timer | undefined;
  private wakeAt = 0;
  private serveScheduled = false;

  /**
   * @param endOfTurn runs work at the end of the current event-loop turn,
   *   before the turn's writes are committed (BrokerStore.beforeCommit).
   */
  constructor(
    public record: QueueRecord,
    readonly arn: string,
    protected readonly clock: Clock,
    private readonly endOfTurn: (work: () => void) => void,
  ) {
    // A new queue's attributes were checked already; a stored one's are read as stored.
    this.settings = settingsFrom(record.attributes, isFifoRecord(record), "stored");
    // In the form it is reported in, so later requests' checks read it as they read their own.
    const redrive = this.settings.redrivePolicy;
    if (redrive) record.attributes.RedrivePolicy = formatRedrivePolicy(redrive);
    this.metrics = new QueueMetrics(clock.now());
  }

  get id(): number {
    return this.record.id;
  }

  get name(): string {
    return this.record.name;
  }

  /** Takes new attributes; settings it cannot read are refused before anything changes. */
  applyAttributes(attributes: Record<string, string>): void {
    const settings = settingsFrom(attributes, this.fifo);
    this.record.attributes = attributes;
    this.settings = settings;
  }

  /** Adds a message; `visibleAt` in the future means delayed (or in flight, after a restart). */
  add(message: MessageState, now: number): void {
    this.messages.set(message.seq, message);
    if (message.sentAt < this.newestSentAt) this.latecomers.push({ message, heapIndex: -1 });
    else this.newestSentAt = message.sentAt;
    if (message.visibleAt > now) {
      message.status = message.receiveCount > 0 ? MessageStatus.InFlight : MessageStatus.Delayed;
      if (message.status === MessageStatus.InFlight) this.inFlightCount++;
      else this.delayedCount++;
      this.timed.push(message);
      this.placed(message);
      this.onTimedChanged();
    } else {
      message.status = MessageStatus.Visible;
      this.visibleCount++;
      this.placed(message);
      this.becameVisible(message, false);
    }
  }

  /** Moves messages whose delay or visibility timeout has passed into the delivery order. */
  refresh(now: number): void {
    for (;;) {
      const top = this.timed.peek();
      if (!top || top.visibleAt > now) return;
      this.timed.pop();
      const wasInFlight = top.status === MessageStatus.InFlight;
      if (wasInFlight) this.inFlightCount--;
      else this.delayedCount--;
      top.status = MessageStatus.Visible;
      this.visibleCount++;
      this.becameVisible(top, wasInFlight);
    }
  }

  /**
   * The next deliverable message, taken out of the delivery order; follow
   * with deliver(), remove(), or putBack().
   */
  abstract pullVisible(): MessageState | undefined;

  /** Returns a message just pulled, still visible, to the front of the delivery order. */
  abstract putBack(message: MessageState): void;

  /** Ends a run of pullVisible calls (one ReceiveMessage). */
  endTake(): void {}

  /** Marks a pulled message as received: hidden until `now + visibilityMs`. */
  deliver(message: MessageState, now: number, visibilityMs: number): void {
    this.visibleCount--;
    this.inFlightCount++;
    message.status = MessageStatus.InFlight;
    message.receiveCount++;
    if (message.firstReceivedAt === 0) message.firstReceivedAt = now;
    message.lastReceivedAt = now;
    message.visibleAt = now + visibilityMs;
    this.deliveredFromGroup(message);
    this.timed.push(message);
    this.onTimedChanged();
  }

  /** Changes an in-flight message's visibility; 0 makes it visible at once. */
  changeVisibility(message: MessageState, now: number, visibilityMs: number): void {
    message.visibleAt = now + visibilityMs;
    this.timed.update(message);
    if (visibilityMs === 0) this.refresh(now);
    else this.onTimedChanged();
  }

  /**
   * Moves every message never received to `sentAt + delayMs`: delayed ones
   * become visible when that has passed, visible ones are delayed again when
   * it has not. In-flight and returned messages keep their visibility.
   * Returns the messages changed, O(messages in the queue). Meant for FIFO
   * queues, whose groups skip a head delayed again until it is visible.
   */
  redelayUnreceived(delayMs: number, now: number): MessageState[] {
    const changed: MessageState[] = [];
    for (const message of this.messages.values()) {
      if (message.receiveCount > 0) continue;
      const visibleAt = message.sentAt + delayMs;
      if (message.status === MessageStatus.Delayed) {
        message.visibleAt = visibleAt;
        this.timed.update(message);
      } else if (message.status === MessageStatus.Visible && visibleAt > now) {
        // Its group sees the head no longer visible when it next delivers from it.
        this.visibleCount--;
        this.delayedCount++;
        message.status = MessageStatus.Delayed;
        message.visibleAt = visibleAt;
        this.timed.push(message);
      } else continue;
      changed.push(message);
    }
    this.refresh(now);
    this.onTimedChanged();
    return changed;
  }

  /** Removes a message for good (deleted, purged, expired, or moved to another queue). */
  remove(message: MessageState): void {
    if (message.status === MessageStatus.Gone) return;
    this.messages.delete(message.seq);
    this.timed.remove(message);
    switch (message.status) {
      case MessageStatus.Visible:
        this.visibleCount--;
        break;
      case MessageStatus.InFlight:
        this.inFlightCount--;
        this.leftGroupInFlight(message);
        // A long poll kept waiting by the in-flight limit beside visible
        // messages can be served now (nothing else would wake it).
        if (this.visibleCount > 0) this.notifyVisible();
        break;
      case MessageStatus.Delayed:
        this.delayedCount--;
        break;
    }
    message.status = MessageStatus.Gone;
  }

  /** Drops every message (PurgeQueue, DeleteQueue). */
  clear(): void {
    for (const message of this.messages.values()) {
      message.status = MessageStatus.Gone;
      message.heapIndex = -1;
    }
    this.messages.clear();
    this.timed.clear();
    this.latecomers.clear();
    this.newestSentAt = -Infinity;
    this.visibleCount = this.inFlightCount = this.delayedCount = 0;
    this.clearOrder();
  }

  /**
   * The live message sent first, which is the next to expire. `messages`
   * iterates in the order messages arrived here, which is send order except
   * for latecomers: messages moved in from another queue with their own,
   * earlier send time (a standard dead-letter queue keeps it). Every message
   * after a latecomer arrived after it, so was sent after its send time too:
   * the oldest is the first message or the earliest latecomer.
   */
  oldest(): MessageState | undefined {
    const first = this.messages.first();
    let late = this.latecomers.peek();
    while (late !== undefined && late.message.status === MessageStatus.Gone) {
      this.latecomers.pop();
      late = this.latecomers.peek();
    }
    if (late !== undefined && (first === undefined || late.message.sentAt < first.sentAt)) {
      return late.message;
    }
    return first;
  }

  // --- long polling ---

  addWaiter(waiter: Waiter): void {
    this.waiters.push(waiter);
    this.armWakeTimer();
  }

  /** Answers every waiting long poll with nothing (queue deleted, broker closing). */
  releaseWaiters(): void {
    for (let w = this.waiters.shift(); w; w = this.waiters.shift()) if (!w.settled) w.cancel();
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
  }

  /**
   * Called whenever messages may have become visible: serves long polls at
   * the end of the event-loop turn, once every request of the turn was
   * handled. A waiting receive then takes up to its maximum from all the
   * turn's sends rather than the first one alone (measured end to end: a
   * quarter more messages delivered per second, for fewer receives and
   * deletes), and it still goes out with the same commit as those sends.
   */
  protected notifyVisible(): void {
    if (this.waiters.length === 0 || this.serveScheduled) return;
    this.serveScheduled = true;
    this.endOfTurn(this.serveScheduledWaiters);
  }

  private readonly serveScheduledWaiters = (): void => {
    this.serveScheduled = false;
    this.serveWaiters();
  };

  private serveWaiters(): void {
    this.refresh(this.clock.now());
    while (this.visibleCount > 0) {
      const waiter = this.waiters.peek();
      if (!waiter) break;
      if (waiter.settled || waiter.tryServe()) this.waiters.shift();
      else break;
    }
    this.armWakeTimer();
  }

  private onTimedChanged(): void {
    if (this.waiters.length > 0) this.armWakeTimer();
  }

  /** Keeps one timer set for the earliest moment a message becomes visible, while anyone waits. */
  private armWakeTimer(): void {
    while (this.waiters.peek()?.settled) this.waiters.shift();
    const next = this.waiters.length > 0 ? this.timed.peek() : undefined;
    if (!next) {
      this.wakeTimer?.cancel();
      this.wakeTimer = undefined;
      return;
    }
    if (this.wakeTimer && this.wakeAt === next.visibleAt) return;
    this.wakeTimer?.cancel();
    this.wakeAt = next.visibleAt;
    this.wakeTimer = this.clock.setTimer(next.visibleAt - this.clock.now(), () => {
      this.wakeTimer = undefined;
      this.serveWaiters();
    });
  }

  // --- delivery order, by queue type ---

  /** A message joined the queue (any status): FIFO files it under its group. */
  protected placed(_message: MessageState): void {}
  /** A message became deliverable; `returning` when its visibility timeout ran out. */
  protected abstract becameVisible(message: MessageState, returning: boolean): void;
  /** A pulled message was delivered. */
  protected deliveredFromGroup(_message: MessageState): void {}
  /** An in-flight message left flight other than by becoming visible. */
  protected leftGroupInFlight(_message: MessageState): void {}
  protected abstract clearOrder(): void;
}

function isFifoRecord(record: QueueRecord): boolean {
  return record.attributes.FifoQueue === "true";
}

/** A message that arrived in a queue after messages sent later than it (see Queue.oldest). */
interface Latecomer extends HeapItem {
  readonly message: MessageState;
}

const sentEarlier = (a: Latecomer, b: Latecomer): boolean => a.message.sentAt < b.message.sentAt;
