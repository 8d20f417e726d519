import { setAsideCount } from "../../apps/consumer/consumer-stats.ts";
import type { ConsumerStats } from "../../apps/consumer/consumer-stats.ts";

/** One line for people: `120 received: 50 created, 40 updated, 20 deleted, ...`. */
export function formatConsumerStats(stats: ConsumerStats): string {
  const setAside = Object.entries(stats.setAside)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(", ");
  const parts = [
    `${stats.created} created`,
    `${stats.updated} updated`,
    `${stats.deleted} deleted`,
    `${stats.duplicates} duplicates`,
    `${stats.lateArrivals} late (merged in order)`,
    `${stats.warnings} warnings`,
    `${setAsideCount(stats)} set aside${setAside ? ` (${setAside})` : ""}`,
    `${stats.errors} errors`,
  ];
  return `${stats.received} received: ${parts.join(", ")}`;
}
