import { nameOfArn } from "../format.ts";
import { parseJson } from "../json.ts";

/**
 * A queue's RedriveAllowPolicy in words (which source queues may use it as
 * their dead-letter queue), as the Details and Dead-letter tabs say it.
 */
export function redriveAllowInWords(policy: string | undefined): string {
  const allow = parseJson<{ redrivePermission: string; sourceQueueArns?: string[] }>(policy);
  if (allow === undefined)
    return "Any queue of the account may use this queue as its dead-letter queue.";
  switch (allow.redrivePermission) {
    case "byQueue":
      return `Only these queues may use it: ${(allow.sourceQueueArns ?? []).map(nameOfArn).join(", ")}.`;
    case "denyAll":
      return "No queue may use it as a dead-letter queue.";
    default:
      return "Any queue may use it as a dead-letter queue.";
  }
}
