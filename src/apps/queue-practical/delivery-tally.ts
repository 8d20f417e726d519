import { parseMessageBody } from "./message-body.ts";

/** What the tally decided about one delivered message. */
export interface DeliveryVerdict {
  /** The same body from the same client arrived before. */
  readonly duplicate: boolean;
  /** A first delivery whose number is below one already seen from its stream. */
  readonly outOfOrder: boolean;
}

/** Counts for one client (`undefined` client: messages without the attribute). */
export interface ClientTally {
  readonly client: string | undefined;
  readonly received: number;
  readonly outOfOrder: number;
  readonly duplicates: number;
}

export interface TallySummary extends Omit<ClientTally, "client"> {
  readonly clients: readonly ClientTally[];
}

interface MutableClientTally {
  client: string | undefined;
  received: number;
  outOfOrder: number;
  duplicates: number;
}

/**
 * Counts what a receiver saw, so the standard-vs-FIFO lesson shows up in
 * numbers rather than by eye.
 *
 * - **Duplicate**: a message whose body and `client` attribute were both seen
 *   before by this receiver. Duplicates are counted only as duplicates, never
 *   also as out of order.
 * - **Out of order**: a first delivery of `"{prefix}Message {n}"` where a
 *   higher `n` was already seen in the same stream, a stream being one client
 *   and one prefix (so `--prepend` starts a new stream counting from 0). A
 *   sequence 0 2 1 3 has one message out of order (1); a body that is not
 *   `Message {n}` is never out of order.
 */
export class DeliveryTally {
  private readonly seen = new Set<string>();
  private readonly highest = new Map<string, number>();
  private readonly clients = new Map<string | undefined, MutableClientTally>();

  record(client: string | undefined, body: string): DeliveryVerdict {
    const tally = this.clientTally(client);
    tally.received += 1;
    // JSON keeps the pair unambiguous whatever characters the two strings hold.
    const key = JSON.stringify([client ?? null, body]);
    if (this.seen.has(key)) {
      tally.duplicates += 1;
      return { duplicate: true, outOfOrder: false };
    }
    this.seen.add(key);
    const parsed = parseMessageBody(body);
    if (!parsed) return { duplicate: false, outOfOrder: false };
    const stream = JSON.stringify([client ?? null, parsed.prefix]);
    const highest = this.highest.get(stream);
    if (highest !== undefined && parsed.number < highest) {
      tally.outOfOrder += 1;
      return { duplicate: false, outOfOrder: true };
    }
    this.highest.set(stream, parsed.number);
    return { duplicate: false, outOfOrder: false };
  }

  summary(): TallySummary {
    const clients = [...this.clients.values()].map((tally) => ({ ...tally }));
    const sum = (pick: (tally: ClientTally) => number) =>
      clients.reduce((total, tally) => total + pick(tally), 0);
    return {
      received: sum((tally) => tally.received),
      outOfOrder: sum((tally) => tally.outOfOrder),
      duplicates: sum((tally) => tally.duplicates),
      clients,
    };
  }

  private clientTally(client: string | undefined): MutableClientTally {
    let tally = this.clients.get(client);
    if (!tally) {
      tally = { client, received: 0, outOfOrder: 0, duplicates: 0 };
      this.clients.set(client, tally);
    }
    return tally;
  }
}
