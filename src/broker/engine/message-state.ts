import type { HeapItem } from "./indexed-heap.ts";
import type { MessageRecord } from "./store.ts";

/** Where a message is in its life. */
export const MessageStatus = {
  /** Sent with a delay that has not yet passed. */
  Delayed: 0,
  /** Can be received now. */
  Visible: 1,
  /** Received, hidden until its visibility timeout passes. */
  InFlight: 2,
  /** Deleted, purged, expired or moved away; lingers only in lazily cleaned lists. */
  Gone: 3,
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/**
 * The engine's in-memory view of one message: only what delivery needs. The
 * body and attributes stay in the store and are read when the message is
 * delivered, which keeps a million queued messages within a few hundred MiB.
 */
export class MessageState implements MessageRecord, HeapItem {
  status: MessageStatus;
  heapIndex = -1;
  groupId: string | undefined;
  deadLetterSourceArn: string | undefined;

  constructor(
    public seq: number,
    public queueId: number,
    public sentAt: number,
    public visibleAt: number,
    public receiveCount = 0,
    public firstReceivedAt = 0,
    public lastReceivedAt = 0,
    groupId?: string,
    deadLetterSourceArn?: string,
  ) {
    this.groupId = groupId;
    this.deadLetterSourceArn = deadLetterSourceArn;
    this.status = MessageStatus.Visible;
  }

  static fromRecord(record: MessageRecord): MessageState {
    return new MessageState(
      record.seq,
      record.queueId,
      record.sentAt,
      record.visibleAt,
      record.receiveCount,
      record.firstReceivedAt,
      record.lastReceivedAt,
      record.groupId,
      record.deadLetterSourceArn,
    );
  }
}

/** Orders the timer heap: earliest `visibleAt` first, then send order. */
export const visibleEarlier = (a: MessageState, b: MessageState): boolean =>
  a.visibleAt < b.visibleAt || (a.visibleAt === b.visibleAt && a.seq < b.seq);
