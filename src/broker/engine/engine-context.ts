import type { Clock } from "./clock.ts";
import type { IdSource } from "./ids.ts";
import type { QueueLocation } from "./queue-arn.ts";
import type { QueueRegistry } from "./queue-registry.ts";
import type { BrokerStore } from "./store.ts";

/** What every engine operation works with. */
export interface EngineContext {
  readonly store: BrokerStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly location: QueueLocation;
  readonly queues: QueueRegistry;
  /** Skip the 60-second re-create and purge rules. */
  readonly relaxedTiming: boolean;
  /** Most messages a queue may have in flight (OverLimit beyond). */
  readonly maxInFlight: number;
  /**
   * Shuffles the messages of one standard-queue receive (best-effort order),
   * or leaves them in arrival order when undefined.
   */
  readonly shuffle: (<T>(items: T[]) => void) | undefined;
  /** Allocates the next message seq. */
  nextSeq(): number;
  /** Tells the expiry sweeper that something (a message, a dedup id) expires at `at`. */
  expiresAt(at: number): void;
}
