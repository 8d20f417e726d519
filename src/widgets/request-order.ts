/**
 * Per-widget ordering. The producer numbers each widget's requests: the create
 * is revision 1, each later update or delete the next number (carried beside
 * the body as the `widget-revision` message attribute or object metadata, so
 * the request JSON stays exactly the course's). A store remembers the revision
 * it last applied, deletes included. With both, a consumer applies each
 * widget's requests in the order they were produced, whatever order a standard
 * queue delivers them in, and a duplicate changes nothing.
 */
export type OrderDecision =
  /** The next request of this widget: apply it. */
  | "apply"
  /** Applied before (a duplicate delivery): acknowledge it without applying. */
  | "already-applied"
  /** An earlier request of this widget is still missing: try again later. */
  | "too-early";

/** Name of the message attribute / object metadata key carrying the revision. */
export const REVISION_ATTRIBUTE = "widget-revision";

/** `appliedRevision` is 0 when the store has seen nothing of this widget. */
export function decideOrder(appliedRevision: number, requestRevision: number): OrderDecision {
  if (requestRevision <= appliedRevision) return "already-applied";
  return requestRevision === appliedRevision + 1 ? "apply" : "too-early";
}

/** Reads a revision from an attribute value; `undefined` when absent or not a positive integer. */
export function parseRevision(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  return Number(value);
}
