import type { QueueListBody, QueueListEntry, QueueMetricsBody } from "../../../wire-types.ts";
import { send } from "./transport.ts";

/** Every queue as `GET /_mailroom/queues` lists it: what the Queues page shows, in one request. */
export async function listQueueEntries(): Promise<QueueListEntry[]> {
  const text = await send("/_mailroom/queues", { method: "GET" });
  return (JSON.parse(text) as QueueListBody).queues;
}

/** A queue's metrics per minute, oldest first. */
export async function queueMetrics(name: string, minutes: number): Promise<QueueMetricsBody> {
  const text = await send(`/_mailroom/metrics/${encodeURIComponent(name)}?minutes=${minutes}`, {
    method: "GET",
  });
  return JSON.parse(text) as QueueMetricsBody;
}
