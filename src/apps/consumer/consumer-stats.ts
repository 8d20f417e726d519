/** What a consumer has done so far; printed at the end and written to `--stats-file`. */
export interface ConsumerStats {
  received: number;
  /** Requests merged into their widget, by type (whatever order they came in). */
  created: number;
  updated: number;
  deleted: number;
  /** Copies of requests already applied (same requestId), acknowledged without a change. */
  duplicates: number;
  /** Requests that arrived after a later request of their widget, merged in production order. */
  lateArrivals: number;
  /**
   * Warnings logged for requests merged: updates that found no widget and
   * deletes that found it absent when they arrived (the course's warnings;
   * an early one may still apply), and updates naming an owner other than
   * the widget's. Set-aside requests are counted in `setAside`, not here.
   */
  warnings: number;
  /** Requests set aside, by reason kind: "invalid", "unstorable", "store failures". */
  setAside: Record<string, number>;
  /** Failures of the store or the source that left the request to come back. */
  errors: number;
}

export function emptyStats(): ConsumerStats {
  return {
    received: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    duplicates: 0,
    lateArrivals: 0,
    warnings: 0,
    setAside: {},
    errors: 0,
  };
}

/** Requests set aside, all kinds together. */
export function setAsideCount(stats: ConsumerStats): number {
  return Object.values(stats.setAside).reduce((sum, count) => sum + count, 0);
}

/** Requests the consumer is done with: merged, duplicates and set aside. */
export function handledCount(stats: ConsumerStats): number {
  return stats.created + stats.updated + stats.deleted + stats.duplicates + setAsideCount(stats);
}

/** Adds `more` into `total` (the pipeline sums its consumers). */
export function addStats(total: ConsumerStats, more: ConsumerStats): ConsumerStats {
  const setAside = { ...total.setAside };
  for (const [kind, count] of Object.entries(more.setAside)) {
    setAside[kind] = (setAside[kind] ?? 0) + count;
  }
  return {
    received: total.received + more.received,
    created: total.created + more.created,
    updated: total.updated + more.updated,
    deleted: total.deleted + more.deleted,
    duplicates: total.duplicates + more.duplicates,
    lateArrivals: total.lateArrivals + more.lateArrivals,
    warnings: total.warnings + more.warnings,
    setAside,
    errors: total.errors + more.errors,
  };
}

/** Failures, and not one request taken to its end (applied, recognised as a duplicate, or set aside). */
export function failedThroughout(stats: ConsumerStats): boolean {
  return stats.errors > 0 && handledCount(stats) === 0;
}
