import type { JoinMessage } from "./barrier-messages.ts";

/**
 * Whether a join was left behind by a process that is gone. Its sender waits
 * `welcomeWaitMs` for a welcome from the moment it sent the join, then gives
 * up and exits (`no welcome from the coordinator`), leaving the join on the
 * check-in queue for the next coordinator. Welcoming it, and later telling
 * it to abort as a second process under its id, would announce a process
 * that is not part of this run.
 *
 * `ageMs` is how long the join waited on the queue before this first receive
 * of it, both times read off SQS's clock, so a host whose clock is off does
 * not matter. A join without its age, or without the wait (sent by a
 * participant from before joins carried it), counts as live.
 */
export function isLeftoverJoin(
  join: JoinMessage,
  ageMs: number | undefined,
): join is JoinMessage & { readonly welcomeWaitMs: number } {
  return join.welcomeWaitMs !== undefined && ageMs !== undefined && ageMs > join.welcomeWaitMs;
}
