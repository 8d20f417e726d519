import type { Logger } from "pino";
import { KeyedLock } from "../concurrency/keyed-lock.ts";
import { pause } from "../pause.ts";
import type { ReceivedRequest } from "./request-source.ts";

/** How long a bucket or folder source waits when it finds nothing (the course's ~100 ms). */
const EMPTY_WAIT_MS = 100;

/**
 * The receive loop the bucket and folder sources share: claim the oldest
 * request; when there is none, log `No requests found, waiting` once and look
 * again every 100 ms. Claims run one at a time per process, so the workers of
 * one consumer never race each other for the same request.
 */
export class OldestFirstPoller {
  private readonly claims = new KeyedLock();
  private saidEmpty = false;

  constructor(
    private readonly claimOldest: () => Promise<ReceivedRequest | undefined>,
    private readonly logger: Logger,
  ) {}

  async next(signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    while (!signal.aborted) {
      const request = await this.claims.run("claim", this.claimOldest);
      if (request) {
        this.saidEmpty = false;
        return request;
      }
      if (!this.saidEmpty) this.logger.info("No requests found, waiting");
      this.saidEmpty = true;
      await pause(EMPTY_WAIT_MS, signal);
    }
    return undefined;
  }
}
