/**
 * Keys of produced requests: millisecond timestamps as decimal strings, as
 * the course's request bucket uses (`1612306368338`). Each key is
 * `max(now, previous + 1)`, so keys stay unique and increasing however fast a
 * producer runs, and lexical order (13 digits until the year 2286) is
 * production order. Unique within one producer, and after `after` (the
 * newest key a sink already holds); two producers writing to one bucket at
 * once can still collide, as the course's could.
 */
export function createKeyClock(now: () => number = Date.now, after = 0): () => string {
  let last = after;
  return () => {
    last = Math.max(Math.floor(now()), last + 1);
    return String(last);
  };
}
