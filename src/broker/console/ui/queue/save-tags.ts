import { ApiError } from "../api/api-error.ts";
import { tagQueue, untagQueue } from "../api/queues.ts";

/** SQS's limit of tags on one queue. */
const MAX_TAGS = 50;

/**
 * Turns the queue's tags from `current` into `after`: TagQueue for the new
 * and changed, then UntagQueue for the removed. In that order a TagQueue
 * refused (a key too long: the broker checks the tags as a whole) changes
 * nothing; removing first lost the old tags to a refused rename. Only when
 * the queue cannot hold the old and the new together (50 tags) are the old
 * removed first, and put back if the new are refused.
 * When only part of the change is made, throws TagsNotAllSaved, which says
 * which part and holds the tags the queue is left with.
 */
export async function saveTags(
  url: string,
  current: Record<string, string>,
  after: Record<string, string>,
): Promise<void> {
  const removed = Object.keys(current).filter((key) => !Object.hasOwn(after, key));
  const changed = Object.fromEntries(
    Object.entries(after).filter(([key, value]) => current[key] !== value),
  );
  const adds = Object.keys(changed).length > 0;
  if (Object.keys({ ...current, ...changed }).length <= MAX_TAGS) {
    if (adds) await tagQueue(url, changed);
    if (removed.length === 0) return;
    try {
      await untagQueue(url, removed);
    } catch (failure) {
      throw new TagsNotAllSaved(
        `${adds ? "The new and changed tags were saved, but" : "But"} ${removedKeys(removed)} not removed: ${reason(failure)}`,
        { ...current, ...changed },
        failure,
      );
    }
    return;
  }
  await untagQueue(url, removed);
  try {
    await tagQueue(url, changed);
  } catch (failure) {
    const old = Object.fromEntries(removed.map((key) => [key, current[key]!]));
    const restored = await tagQueue(url, old).then(
      () => true,
      () => false,
    );
    if (restored) throw failure;
    throw new TagsNotAllSaved(
      `Tags not saved, and ${removedKeys(removed)} removed to make room could not be put back: ${reason(failure)}`,
      Object.fromEntries(Object.entries(current).filter(([key]) => !removed.includes(key))),
      failure,
    );
  }
}

/** The queue holds `now`: some of the edit was done, and the message says which part. */
export class TagsNotAllSaved extends Error {
  override readonly name = "TagsNotAllSaved";
  constructor(
    message: string,
    readonly now: Record<string, string>,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

function removedKeys(keys: string[]): string {
  const quoted = keys.map((key) => `"${key}"`).join(", ");
  return keys.length === 1 ? `the tag ${quoted} was` : `the tags ${quoted} were`;
}

/** Said in full here: a broker that did not answer is otherwise left to the banner. */
function reason(failure: unknown): string {
  if (failure instanceof ApiError) return `${failure.code}: ${failure.message}`;
  return failure instanceof Error ? failure.message : String(failure);
}
