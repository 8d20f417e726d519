import { Deque } from "./deque.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import { Queue } from "./queue.ts";

/**
 * Fair queues: a tenant (the MessageGroupId of a standard queue's message)
 * holding more than this share of the queue's in-flight messages, and at
 * least NOISY_MINIMUM of them, is "noisy"; quieter tenants are served first.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues.html
 */
const NOISY_SHARE = 0.1;
const NOISY_MINIMUM = 30;
/** How far past a noisy tenant's message a receive looks for a quieter one; bounded so a receive stays O(1). */
const FAIRNESS_LOOKAHEAD = 64;

/**
 * A standard queue: at-least-once, best-effort order. Visible messages wait
 * in one deque in the order they became visible; deleted ones are skipped
 * when they reach the head rather than searched for.
 */
export class StandardQueue extends Queue {
  readonly fifo = false;
  private readonly ready = new Deque<MessageState>();
  /** In-flight messages per tenant, for tenants that have any. */
  private readonly tenantInFlight = new Map<string, number>();

  pullVisible(): MessageState | undefined {
    let head = this.ready.peek();
    while (head && head.status !== MessageStatus.Visible) {
      this.ready.shift();
      head = this.ready.peek();
    }
    if (head && this.isNoisy(head.groupId)) this.bringQuietTenantForward();
    return this.ready.shift();
  }

  putBack(message: MessageState): void {
    this.ready.unshift(message);
  }

  protected becameVisible(message: MessageState, returning: boolean): void {
    if (returning) this.countTenant(message, -1);
    this.ready.push(message);
    this.notifyVisible();
  }

  /** Messages loaded in flight after a restart count towards their tenant too. */
  protected override placed(message: MessageState): void {
    if (message.status === MessageStatus.InFlight) this.countTenant(message, 1);
  }

  protected override deliveredFromGroup(message: MessageState): void {
    this.countTenant(message, 1);
  }

  protected override leftGroupInFlight(message: MessageState): void {
    this.countTenant(message, -1);
  }

  protected clearOrder(): void {
    this.ready.clear();
    this.tenantInFlight.clear();
  }

  private isNoisy(tenant: string | undefined): boolean {
    if (tenant === undefined) return false;
    const inFlight = this.tenantInFlight.get(tenant) ?? 0;
    return inFlight >= NOISY_MINIMUM && inFlight > NOISY_SHARE * this.inFlightCount;
  }

  /** Swaps the first visible message of a quiet tenant (if one is near) to the front. */
  private bringQuietTenantForward(): void {
    const limit = Math.min(this.ready.length, FAIRNESS_LOOKAHEAD);
    for (let i = 1; i < limit; i++) {
      const candidate = this.ready.at(i)!;
      if (candidate.status === MessageStatus.Visible && !this.isNoisy(candidate.groupId)) {
        this.ready.swap(0, i);
        return;
      }
    }
  }

  private countTenant(message: MessageState, delta: number): void {
    const tenant = message.groupId;
    if (tenant === undefined) return;
    const count = (this.tenantInFlight.get(tenant) ?? 0) + delta;
    if (count > 0) this.tenantInFlight.set(tenant, count);
    else this.tenantInFlight.delete(tenant);
  }
}
