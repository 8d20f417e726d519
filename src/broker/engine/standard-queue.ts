import { Deque } from "./deque.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import { Queue } from "./queue.ts";

/**
 * A standard queue: at-least-once, best-effort order. Visible messages wait
 * in one deque in the order they became visible; deleted ones are skipped
 * when they reach the head rather than searched for.
 */
export class StandardQueue extends Queue {
  readonly fifo = false;
  private readonly ready = new Deque<MessageState>();

  pullVisible(): MessageState | undefined {
    for (let message = this.ready.shift(); message; message = this.ready.shift()) {
      if (message.status === MessageStatus.Visible) return message;
    }
    return undefined;
  }

  protected becameVisible(message: MessageState): void {
    this.ready.push(message);
    this.notifyVisible();
  }

  protected clearOrder(): void {
    this.ready.clear();
  }
}
