import type { Database, Statement } from "better-sqlite3";

/**
 * Keeps the stored high-water seq at or above every seq a commit inserted,
 * so that a restarted engine continues above all of them even when their
 * messages are gone. Writing it in every commit would add a page to each
 * (measured: a one-message commit costs half again as much), so it is
 * leased ahead: raised to `SEQ_LEASE` beyond the highest seq inserted, once
 * an insert passes it. A restart may therefore skip up to that many seqs.
 */
export class SeqLease {
  private leased: number;
  private readonly raise: Statement<[number]>;

  constructor(db: Database) {
    this.leased = db.prepare<[], number>("SELECT seq FROM high_water").pluck().get() ?? 0;
    this.raise = db.prepare("UPDATE high_water SET seq = ? WHERE id = 1");
  }

  /** Every seq inserted so far is at or below this. */
  get highWater(): number {
    return this.leased;
  }

  /**
   * Call inside the transaction that inserts up to `highestSeq`; returns the
   * lease to `confirm` once that transaction commits (undefined when the
   * current lease covers it).
   */
  cover(highestSeq: number): number | undefined {
    if (highestSeq <= this.leased) return undefined;
    const lease = highestSeq + SEQ_LEASE;
    this.raise.run(lease);
    return lease;
  }

  confirm(lease: number | undefined): void {
    if (lease !== undefined) this.leased = lease;
  }
}

const SEQ_LEASE = 100_000;
