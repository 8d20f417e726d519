import type { Clock, Timer } from "./clock.ts";
import { MINUTE_MS } from "./queue-metrics.ts";
import type { QueueGauges } from "./queue-metrics.ts";
import type { QueueRegistry } from "./queue-registry.ts";
import type { Queue } from "./queue.ts";

/**
 * Samples every queue's gauges at the end of each minute, as that minute's
 * value (and once at start-up, for the minute under way), the way CloudWatch
 * samples SQS's approximate counts, so a queue nobody touches still has a
 * value for every minute. The minute under way gets its value when read
 * (sampleQueue). One timer for all queues; a sample is a refresh and four
 * numbers per queue.
 */
export class MetricsSampler {
  private timer: Timer | undefined;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
  ) {}

  /** Samples now, then at every minute's end until stop(). */
  start(): void {
    const now = this.clock.now();
    for (const queue of this.queues.values()) sampleQueue(queue, now);
    this.arm(now);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(now: number): void {
    const nextMinute = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
    this.timer = this.clock.setTimer(nextMinute - now, this.sampleEnded);
  }

  /** At a minute boundary: the state now is the value of the minute that just ended. */
  private readonly sampleEnded = (): void => {
    const now = this.clock.now();
    const ended = Math.floor(now / MINUTE_MS) * MINUTE_MS - 1;
    for (const queue of this.queues.values()) {
      queue.metrics.sample(ended, currentGauges(queue, now));
      queue.metrics.dropExpired(now);
    }
    this.arm(now);
  };
}

/** Records the queue's gauges as they are now into its current minute, and returns them. */
export function sampleQueue(queue: Queue, now: number): QueueGauges {
  const gauges = currentGauges(queue, now);
  queue.metrics.sample(now, gauges);
  return gauges;
}

/** The queue's approximate counts now, and the age of its oldest message. */
export function currentGauges(queue: Queue, now: number): QueueGauges {
  queue.refresh(now);
  const oldest = queue.oldest();
  return {
    visible: queue.visibleCount,
    notVisible: queue.inFlightCount,
    delayed: queue.delayedCount,
    oldestAgeSeconds: oldest ? Math.max(0, Math.floor((now - oldest.sentAt) / 1000)) : 0,
  };
}
