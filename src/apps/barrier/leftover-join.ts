import type { JoinMessage } from "./barrier-messages.ts";

/**
 * Whether a join was left behind by a process that is gone. Its sender waits
 * `welcomeWaitMs` for a welcome from the moment it sent the join, then gives
 * up and exits (`no welcome from the coordinator`), leaving the join on the
 * check-in queue for the next coordinator. Welcoming it, and later telling
 * it to abort as a second process under its id, would announce a process
 * that is not part of this run.
 *
 * `sentAt` is SQS's clock and `now` this host's: a skew between the two only
 * moves the line by that much, and a live sender that close to giving up
 * would not get its welcome in time anyway. Without `sentAt` a join counts as
 * live, as it did before joins carried their wait.
 */
export function isLeftoverJoin(
  join: JoinMessage,
  sentAt: number | undefined,
  now: number,
): boolean {
  return sentAt !== undefined && now - sentAt > join.welcomeWaitMs;
}
