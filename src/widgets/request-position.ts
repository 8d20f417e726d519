import type { WidgetRequest, WidgetRequestType } from "./widget-request.ts";

/**
 * Where a request stands in its widget's history, recovered from what the
 * request carries, so that any consumer, in any process, puts the requests of
 * a widget in the same order whatever order a queue delivers them in.
 * Compared element by element:
 *
 * 1. `revision`: the producer's number for the request within its widget (the
 *    create is 1), carried beside the body as the `widget-revision` message
 *    attribute or object metadata; 0 for requests without one, such as the
 *    course's own. Every request of a widget from Mailroom's producer has one,
 *    so they are ordered by it alone, exactly.
 * 2. `sentAt`: when the request was produced, in milliseconds: the message's
 *    `SentTimestamp` on a queue, or the millisecond key that names it in a
 *    request bucket or folder (`1612306373799`). This orders plain requests.
 * 3. The tie rule, for plain requests of one widget sent within the same
 *    millisecond (a batch send, say): creates first, then updates, then
 *    deletes, and among requests of the same type the smaller `requestId`.
 *    Arbitrary but the same for every consumer, so they all converge.
 */
export type RequestPosition = readonly [
  revision: number,
  sentAt: number,
  typeRank: number,
  requestId: string,
];

/** What a received request carries about its place, besides its body. */
export interface RequestOrigin {
  /** The producer's per-widget revision (`widget-revision`), when it carries one. */
  readonly revision: number | undefined;
  /** When it was produced or sent, ms since the epoch, when known. */
  readonly sentAt: number | undefined;
}

/** Name of the message attribute / object metadata key carrying the revision. */
export const REVISION_ATTRIBUTE = "widget-revision";

const TYPE_RANK: Record<WidgetRequestType, number> = { create: 0, update: 1, delete: 2 };

/** Before every request: the position given to a widget found in a store with no history. */
export const ORIGIN_POSITION: RequestPosition = [0, 0, -1, ""];

export function positionOf(request: WidgetRequest, origin: RequestOrigin): RequestPosition {
  return [origin.revision ?? 0, origin.sentAt ?? 0, TYPE_RANK[request.type], request.requestId];
}

/** Negative when `a` comes first, positive when `b` does, 0 for the same position. */
export function comparePositions(a: RequestPosition, b: RequestPosition): number {
  for (let index = 0; index < 3; index += 1) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}

/** The type a position was made for (see {@link positionOf}). */
export function isLifecyclePosition(position: RequestPosition): boolean {
  return position[2] !== TYPE_RANK.update;
}

/** Reads a revision from an attribute value; `undefined` when absent or not a positive integer. */
export function parseRevision(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The production time a request key names: the course names requests by
 * their millisecond timestamp (`1612306373799`). `undefined` for other names.
 */
export function sentAtFromKey(key: string): number | undefined {
  return /^\d{10,15}$/.test(key) ? Number(key) : undefined;
}
