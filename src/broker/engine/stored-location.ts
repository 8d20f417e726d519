import { queueArn } from "./queue-arn.ts";
import type { QueueLocation } from "./queue-arn.ts";
import type { QueueRegistry } from "./queue-registry.ts";

/**
 * The data holds redrive policies naming queues of another region or
 * account than the broker was started with (`--region`, `--account-id`):
 * ARNs are stored whole, so every such policy would silently move nothing.
 */
export class StoredLocationError extends Error {
  override readonly name = "StoredLocationError";
}

/**
 * Refuses to serve queues whose redrive policies name their dead-letter
 * queues in another region or account than `location`, when that queue
 * exists here under its name: the data was written by a broker started
 * with another `--region` or `--account-id`.
 */
export function checkStoredLocation(queues: QueueRegistry, location: QueueLocation): void {
  for (const queue of queues.values()) {
    const target = queue.settings.redrivePolicy?.deadLetterTargetArn;
    if (target === undefined) continue;
    const [, , , region, accountId, name] = target.split(":");
    if (name === undefined || queues.find(name) === undefined) continue;
    if (target === queueArn(location, name)) continue;
    throw new StoredLocationError(
      `the data was written for region ${region} and account ${accountId} (queue ${JSON.stringify(queue.name)} ` +
        `sends its dead letters to ${target}), not region ${location.region} and account ${location.accountId}: ` +
        `start the broker with that region and account (--region, --account-id), or use another data dir`,
    );
  }
}
