import type { Logger } from "pino";
import { parseWidgetRequest } from "../../widgets/parse-widget-request.ts";
import { comparePositions, positionOf } from "../../widgets/request-position.ts";
import type { RequestPosition } from "../../widgets/request-position.ts";
import { applyRequest, visibleWidget } from "../../widgets/widget-state.ts";
import type { RequestEffect, WidgetState } from "../../widgets/widget-state.ts";
import type { Widget } from "../../widgets/widget.ts";
import type { WidgetRequest } from "../../widgets/widget-request.ts";
import type { ReceivedRequest } from "../sources/request-source.ts";
import type { WidgetStore } from "../stores/widget-store.ts";
import { UnstorableWidgetError } from "../stores/unstorable-widget-error.ts";
import type { ConsumerStats } from "./consumer-stats.ts";
import { KeyedLock } from "../concurrency/keyed-lock.ts";
import { retryDelaySeconds } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";

export interface ProcessorOptions {
  readonly store: WidgetStore;
  readonly logger: Logger;
  readonly stats: ConsumerStats;
  readonly retryPolicy: RetryPolicy;
  /** The receive at which a request the store keeps failing on is set aside. */
  readonly giveUpAtReceive: number;
  /** Where set-aside requests go, for log lines. */
  readonly setAsideLocation: string;
}

/** What applying one request did, as the processor reports it. */
interface Outcome {
  readonly effect: RequestEffect;
  /** The widget before the request. */
  readonly before: Widget | undefined;
  /** A request of the widget produced later had been applied already. */
  readonly late: boolean;
}

/**
 * Turns one received request into a change of the widget store, then
 * acknowledges it. Never throws. Whatever order requests arrive in, and
 * however often, each is merged into its widget's state at its production
 * position (`widgets/widget-state.ts`), so nothing valid ever waits or is set
 * aside for coming early. An invalid request is set aside with its reason,
 * and so is one its store can never hold; any other failure of the store
 * hands the request back so nothing is lost.
 */
export class RequestProcessor {
  /** One change per widget at a time in this process: the store would only retry the others. */
  private readonly widgetLocks = new KeyedLock();

  constructor(private readonly options: ProcessorOptions) {}

  async process(received: ReceivedRequest): Promise<void> {
    const { stats } = this.options;
    stats.received += 1;
    const parsed = parseWidgetRequest(received.body);
    if (!parsed.ok) {
      await this.setAside(received, "invalid", `invalid request: ${parsed.reason}`);
      return;
    }
    const request = parsed.request;
    const position = positionOf(request, received);
    let outcome: Outcome;
    try {
      outcome = await this.widgetLocks.run(request.widgetId, () => this.apply(request, position));
    } catch (error) {
      await this.failed(received, request, error);
      return;
    }
    this.report(request, position, outcome);
    await received.complete();
  }

  private async apply(request: WidgetRequest, position: RequestPosition): Promise<Outcome> {
    const { store, logger } = this.options;
    logger.info(
      { requestId: request.requestId, widgetId: request.widgetId, type: request.type },
      `Processing ${article(request.type)} ${request.type.toUpperCase()} request into ${store.kind} for ${request.widgetId}`,
    );
    let outcome: Outcome | undefined;
    await store.update({ id: request.widgetId, owner: request.owner }, (current) => {
      const applied = applyRequest(current, request, position);
      // Called again after a conflict, a store may already hold this request
      // from the first call: it is not a duplicate for that.
      if (outcome === undefined || applied.effect !== "duplicate") {
        outcome = {
          effect: applied.effect,
          before: visibleWidget(current),
          late: knowsLaterRequest(current, position),
        };
      }
      return applied.effect === "duplicate" ? undefined : applied.state;
    });
    return outcome!;
  }

  /** Counts the outcome and says what happened, in the course's words where it has some. */
  private report(request: WidgetRequest, position: RequestPosition, outcome: Outcome): void {
    const { stats, logger } = this.options;
    const context = {
      requestId: request.requestId,
      widgetId: request.widgetId,
      type: request.type,
      position,
    };
    const what = `${request.type.toUpperCase()} request ${request.requestId} for widget ${request.widgetId}`;
    if (outcome.effect === "duplicate") {
      stats.duplicates += 1;
      logger.info(context, `The ${what} was already applied; acknowledging the duplicate`);
      return;
    }
    if (outcome.late) {
      stats.lateArrivals += 1;
      logger.info(
        context,
        outcome.effect === "superseded"
          ? `The ${what} arrived after a later create or delete of its widget, which already covers it`
          : `The ${what} arrived after a later request of its widget; merged in production order`,
      );
    }
    if (outcome.effect === "no-widget") {
      // Counted by its type below too: it is merged, and applies if its create comes after all.
      stats.warnings += 1;
      logger.warn(
        context,
        request.type === "update"
          ? `Widget ${request.widgetId} does not exist; nothing to update (kept in case its create arrives later)`
          : `Widget ${request.widgetId} did not exist; nothing to delete`,
      );
    }
    // A superseded update changes nothing, so there are no "other changes" to speak of.
    if (
      request.type === "update" &&
      outcome.effect !== "superseded" &&
      outcome.before &&
      outcome.before.owner !== request.owner
    ) {
      stats.warnings += 1;
      logger.warn(
        { ...context, owner: outcome.before.owner, requestedOwner: request.owner },
        `The ${what} names owner ${request.owner}, but the widget belongs to ${outcome.before.owner}; ` +
          "the owner never changes, the other changes apply",
      );
    }
    if (request.type === "create") stats.created += 1;
    else if (request.type === "update") stats.updated += 1;
    else stats.deleted += 1;
  }

  private async failed(
    received: ReceivedRequest,
    request: WidgetRequest,
    error: unknown,
  ): Promise<void> {
    const { stats, logger, retryPolicy, giveUpAtReceive } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    const what = `${request.type.toUpperCase()} request for ${request.widgetId}`;
    if (error instanceof UnstorableWidgetError) {
      // The request's fault, not the store's: set aside like an invalid one, no retries.
      await this.setAside(received, "unstorable", `the ${what} cannot be stored: ${message}`);
      return;
    }
    stats.errors += 1;
    if (received.receiveCount >= giveUpAtReceive) {
      await this.setAside(
        received,
        "store failures",
        `the ${what} failed ${received.receiveCount} times; last: ${message}`,
      );
      return;
    }
    const delay = retryDelaySeconds(retryPolicy, received.receiveCount);
    logger.error(
      {
        err: error,
        requestId: request.requestId,
        widgetId: request.widgetId,
        retryInSeconds: delay,
      },
      `Failed to process ${article(request.type)} ${what}; it will be retried in ${delay} s`,
    );
    await received.retryLater(delay).catch((retryError: unknown) => {
      logger.warn(
        { err: retryError },
        "could not hand the request back; it returns when its visibility timeout ends",
      );
    });
  }

  private async setAside(received: ReceivedRequest, kind: string, reason: string): Promise<void> {
    const { stats, logger, setAsideLocation } = this.options;
    logger.warn(
      { request: received.id, reason },
      `Setting request ${received.id} aside to ${setAsideLocation}: ${reason}`,
    );
    try {
      await received.setAside(reason);
      // Counted once it is there: a failed copy comes back and is counted when it lands.
      stats.setAside[kind] = (stats.setAside[kind] ?? 0) + 1;
    } catch (error) {
      stats.errors += 1;
      logger.error(
        { err: error, request: received.id },
        "could not set the request aside; it will come back",
      );
    }
  }
}

/** Whether the state already holds a request of the widget produced after `position`. */
function knowsLaterRequest(state: WidgetState, position: RequestPosition): boolean {
  const isLater = (at: RequestPosition) => comparePositions(at, position) > 0;
  return (
    state.seen.some(isLater) ||
    (state.lifecycle !== undefined && isLater(state.lifecycle.at)) ||
    state.attributes.some((write) => isLater(write.at))
  );
}

/** "a CREATE", "an UPDATE": the course's log lines read as English. */
function article(type: WidgetRequest["type"]): string {
  return type === "update" ? "an" : "a";
}
