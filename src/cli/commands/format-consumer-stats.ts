import { setAsideCount } from "../../apps/consumer/consumer-stats.ts";
import type { ConsumerStats } from "../../apps/consumer/consumer-stats.ts";
import { counted, formatCount as n } from "../../apps/counted.ts";

/** One line for people: `120 received: 50 created, 40 updated, 20 deleted, ...`. */
export function formatConsumerStats(stats: ConsumerStats): string {
  const setAside = Object.entries(stats.setAside)
    .map(([kind, count]) => `${n(count)} ${kind}`)
    .join(", ");
  const parts = [
    `${n(stats.created)} created`,
    `${n(stats.updated)} updated`,
    `${n(stats.deleted)} deleted`,
    counted(stats.duplicates, "duplicate"),
    `${n(stats.lateArrivals)} late (merged in order)`,
    counted(stats.warnings, "warning"),
    `${n(setAsideCount(stats))} set aside${setAside ? ` (${setAside})` : ""}`,
    counted(stats.errors, "error"),
  ];
  return `${n(stats.received)} received: ${parts.join(", ")}`;
}
