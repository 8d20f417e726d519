import type { Attributes } from "../api/queues.ts";

/** What every tab of a queue's page gets: the queue, its URL and its attributes as last read (refreshed live). */
export interface QueueView {
  name: string;
  url: string;
  attributes: Attributes;
  fifo: boolean;
  /** Reads the attributes again now. */
  reload: () => void;
}
