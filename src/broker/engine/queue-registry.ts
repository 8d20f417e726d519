import type { Clock } from "./clock.ts";
import { errors } from "./errors.ts";
import { FifoQueue } from "./fifo-queue.ts";
import { queueArn, queueNameFromArn } from "./queue-arn.ts";
import type { QueueLocation } from "./queue-arn.ts";
import type { Queue } from "./queue.ts";
import { StandardQueue } from "./standard-queue.ts";
import type { QueueRecord } from "./store.ts";

/** How long a deleted queue's name stays taken (QueueDeletedRecently). */
export const QUEUE_NAME_REUSE_DELAY_MS = 60_000;

/** All live queues by name, id and ARN, and the names deleted in the last minute. */
export class QueueRegistry {
  private readonly byName = new Map<string, Queue>();
  private readonly byId = new Map<number, Queue>();
  private readonly deletedAt = new Map<string, number>();
  private nextQueueId = 1;

  constructor(
    private readonly location: QueueLocation,
    private readonly clock: Clock,
    /** Runs work at the end of the event-loop turn (see Queue). */
    private readonly endOfTurn: (work: () => void) => void,
  ) {}

  /** Builds the in-memory queue for a record (new or loaded) and registers it. */
  add(record: QueueRecord): Queue {
    const arn = queueArn(this.location, record.name);
    const queue =
      record.attributes.FifoQueue === "true"
        ? new FifoQueue(record, arn, this.clock, this.endOfTurn)
        : new StandardQueue(record, arn, this.clock, this.endOfTurn);
    this.byName.set(record.name, queue);
    this.byId.set(record.id, queue);
    this.nextQueueId = Math.max(this.nextQueueId, record.id + 1);
    return queue;
  }

  remove(queue: Queue, now: number): void {
    this.byName.delete(queue.name);
    this.byId.delete(queue.id);
    this.deletedAt.set(queue.name, now);
  }

  /**
   * Keeps `id` from being allocated again: a stored message can outlive its
   * queue (one on a damaged page, which DeleteQueue leaves in the file), and
   * a new queue given that id would take it in at the next start.
   */
  reserveId(id: number): void {
    this.nextQueueId = Math.max(this.nextQueueId, id + 1);
  }

  allocateId(): number {
    return this.nextQueueId++;
  }

  /** The queue by name, or QueueDoesNotExist. */
  get(name: string): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw errors.queueDoesNotExist();
    return queue;
  }

  find(name: string): Queue | undefined {
    return this.byName.get(name);
  }

  findById(id: number): Queue | undefined {
    return this.byId.get(id);
  }

  findByArn(arn: string): Queue | undefined {
    const name = queueNameFromArn(arn);
    const queue = name === undefined ? undefined : this.byName.get(name);
    return queue?.arn === arn ? queue : undefined;
  }

  /** Whether the name was freed less than a minute ago. */
  deletedRecently(name: string, now: number): boolean {
    const at = this.deletedAt.get(name);
    return at !== undefined && now - at < QUEUE_NAME_REUSE_DELAY_MS;
  }

  /** Remembers a name deleted at `at` (by a broker before a restart). */
  restoreDeletedName(name: string, at: number): void {
    this.deletedAt.set(name, at);
  }

  /** Forgets that the name was deleted (it is in use again); whether it was remembered. */
  forgetDeletedName(name: string): boolean {
    return this.deletedAt.delete(name);
  }

  /** Every queue, sorted by name (ListQueues order). */
  sorted(): Queue[] {
    return [...this.byName.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  values(): IterableIterator<Queue> {
    return this.byName.values();
  }
}
