import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { parseWidgetRequest } from "../../widgets/parse-widget-request.ts";
import { decideOrder } from "../../widgets/request-order.ts";
import { applyUpdate, widgetFromCreate } from "../../widgets/widget.ts";
import type { WidgetRequest } from "../../widgets/widget-request.ts";
import type { ReceivedRequest } from "../sources/request-source.ts";
import type { StoredWidget, WidgetStore } from "../stores/widget-store.ts";
import type { ConsumerStats } from "./consumer-stats.ts";
import { KeyedLock } from "../concurrency/keyed-lock.ts";
import { retryDelaySeconds } from "./retry-policy.ts";
import type { RetryPolicy } from "./retry-policy.ts";

/**
 * Pauses before a request that came too early is handed back: usually its
 * predecessor is being processed by another consumer at that very moment, and
 * a look a few milliseconds later saves a round trip through the visibility
 * timeout (at least a second).
 */
const SHORT_WAITS_MS = [10, 40, 100];
/** The pause before each look at a too-early request; `undefined` marks the last look, which hands it back. */
const PAUSES_BEFORE_NEXT_LOOK: readonly (number | undefined)[] = [...SHORT_WAITS_MS, undefined];

export interface ProcessorOptions {
  readonly store: WidgetStore;
  readonly logger: Logger;
  readonly stats: ConsumerStats;
  readonly retryPolicy: RetryPolicy;
  /** The receive at which a request that keeps coming too early is set aside. */
  readonly giveUpAtReceive: number;
  /** Where set-aside requests go, for log lines. */
  readonly setAsideLocation: string;
}

/**
 * Turns one received request into a change of the widget store, then
 * acknowledges it. Never throws: an invalid request is set aside with its
 * reason, one that came too early is handed back for later, and a failure of
 * the store hands the request back so nothing is lost.
 */
export class RequestProcessor {
  private readonly widgetLocks = new KeyedLock();
  /** Deliveries already counted as early arrivals (weak: forgotten with the delivery). */
  private readonly pendingEarly = new WeakSet<ReceivedRequest>();

  constructor(private readonly options: ProcessorOptions) {}

  async process(received: ReceivedRequest): Promise<void> {
    const { stats, logger } = this.options;
    stats.received += 1;
    const parsed = parseWidgetRequest(received.body);
    if (!parsed.ok) {
      await this.setAside(received, "invalid", `invalid request: ${parsed.reason}`);
      return;
    }
    const request = parsed.request;
    try {
      for (const pause of PAUSES_BEFORE_NEXT_LOOK) {
        const mayWait = pause !== undefined;
        const outcome = await this.widgetLocks.run(request.widgetId, () =>
          this.apply(received, request, mayWait),
        );
        if (outcome === "done") break;
        await sleep(pause);
      }
    } catch (error) {
      stats.errors += 1;
      const delay = retryDelaySeconds(this.options.retryPolicy, received.receiveCount);
      logger.error(
        {
          err: error,
          requestId: request.requestId,
          widgetId: request.widgetId,
          retryInSeconds: delay,
        },
        `Failed to process a ${request.type.toUpperCase()} request for ${request.widgetId}; it will be retried`,
      );
      await received.retryLater(delay).catch((retryError: unknown) => {
        logger.warn(
          { err: retryError },
          "could not hand the request back; it returns when its visibility timeout ends",
        );
      });
    }
  }

  /**
   * Applies the request if its turn has come. When it came too early and
   * `mayWait`, answers "wait" and changes nothing, so the caller can look again
   * shortly (with the widget unlocked); otherwise hands it back to the source.
   */
  private async apply(
    received: ReceivedRequest,
    request: WidgetRequest,
    mayWait: boolean,
  ): Promise<"done" | "wait"> {
    const { store } = this.options;
    const ref = { id: request.widgetId, owner: request.owner };
    const stored = await store.read(ref);
    const revision = received.revision;
    if (revision !== undefined) {
      const decision = decideOrder(stored.revision, revision);
      if (decision === "already-applied") {
        await this.acknowledgeDuplicate(received, request, stored);
        return "done";
      }
      if (decision === "too-early") return this.early(received, request, stored, mayWait);
    } else if (request.type !== "create" && !stored.widget && !this.givingUp(received)) {
      // Unnumbered (not from our producer): the create may simply not be here yet.
      return this.early(received, request, stored, mayWait);
    }
    // An unnumbered request keeps the widget's revision, so that the numbered
    // requests around it (from our producer) still follow one another.
    await this.change(request, stored, revision ?? stored.revision);
    await received.complete();
    return "done";
  }

  private async early(
    received: ReceivedRequest,
    request: WidgetRequest,
    stored: StoredWidget,
    mayWait: boolean,
  ): Promise<"done" | "wait"> {
    if (mayWait) {
      // Counted once per delivery: the first look is the one without a pause before it.
      if (!this.pendingEarly.has(received)) {
        this.pendingEarly.add(received);
        this.options.stats.outOfOrderArrivals += 1;
      }
      return "wait";
    }
    await this.tooEarly(received, request, stored);
    return "done";
  }

  private async change(
    request: WidgetRequest,
    stored: StoredWidget,
    revision: number,
  ): Promise<void> {
    const { store, stats, logger } = this.options;
    const context = {
      requestId: request.requestId,
      widgetId: request.widgetId,
      type: request.type,
      revision,
    };
    logger.info(
      context,
      `Processing ${article(request.type)} ${request.type.toUpperCase()} request into ${store.kind} for ${request.widgetId}`,
    );
    switch (request.type) {
      case "create":
        await store.write(widgetFromCreate(request), revision);
        stats.created += 1;
        return;
      case "update":
        if (!stored.widget) {
          stats.warnings += 1;
          logger.warn(context, `Widget ${request.widgetId} does not exist; nothing to update`);
          return;
        }
        await store.write(applyUpdate(stored.widget, request), revision);
        stats.updated += 1;
        return;
      case "delete":
        if (await store.remove({ id: request.widgetId, owner: request.owner }, revision)) {
          stats.deleted += 1;
        } else {
          stats.warnings += 1;
          logger.warn(context, `Widget ${request.widgetId} did not exist; nothing to delete`);
        }
    }
  }

  private async acknowledgeDuplicate(
    received: ReceivedRequest,
    request: WidgetRequest,
    stored: StoredWidget,
  ): Promise<void> {
    this.options.stats.duplicates += 1;
    this.options.logger.info(
      {
        requestId: request.requestId,
        widgetId: request.widgetId,
        revision: received.revision,
        appliedRevision: stored.revision,
      },
      `Request ${request.requestId} was already applied; acknowledging the duplicate`,
    );
    await received.complete();
  }

  private async tooEarly(
    received: ReceivedRequest,
    request: WidgetRequest,
    stored: StoredWidget,
  ): Promise<void> {
    const { stats, logger, retryPolicy } = this.options;
    const what = `${request.type.toUpperCase()} request ${request.requestId} for widget ${request.widgetId}`;
    if (this.givingUp(received)) {
      await this.setAside(
        received,
        "out of order",
        `${what} came ${received.receiveCount} times before an earlier request of its widget` +
          (received.revision === undefined
            ? ""
            : ` (it is revision ${received.revision}; the store has ${stored.revision})`),
      );
      return;
    }
    stats.outOfOrderRetries += 1;
    const delay = retryDelaySeconds(retryPolicy, received.receiveCount);
    logger.info(
      {
        requestId: request.requestId,
        widgetId: request.widgetId,
        revision: received.revision,
        appliedRevision: stored.revision,
        retryInSeconds: delay,
      },
      `The ${what} arrived before an earlier request of its widget; retrying in ${delay} s`,
    );
    await received.retryLater(delay);
  }

  private givingUp(received: ReceivedRequest): boolean {
    return received.receiveCount >= this.options.giveUpAtReceive;
  }

  private async setAside(received: ReceivedRequest, kind: string, reason: string): Promise<void> {
    const { stats, logger, setAsideLocation } = this.options;
    stats.setAside[kind] = (stats.setAside[kind] ?? 0) + 1;
    logger.warn(
      { request: received.id, reason },
      `Setting request ${received.id} aside to ${setAsideLocation}: ${reason}`,
    );
    try {
      await received.setAside(reason);
    } catch (error) {
      stats.errors += 1;
      logger.error(
        { err: error, request: received.id },
        "could not set the request aside; it will come back",
      );
    }
  }
}

/** "a CREATE", "an UPDATE": the course's log lines read as English. */
function article(type: WidgetRequest["type"]): string {
  return type === "update" ? "an" : "a";
}
