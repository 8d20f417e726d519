import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SeqIndex } from "../../../src/broker/engine/seq-index.ts";

describe("SeqIndex", () => {
  it("finds, replaces and deletes items by seq across chunk boundaries, counting them once", () => {
    // Given items at seqs around the edges of chunks, and one far past 2^32
    const index = new SeqIndex<string>();
    const seqs = [1, 63, 64, 65, 127, 128, 1_000, 2 ** 40 + 3];
    for (const seq of seqs) index.set(seq, `item ${seq}`);
    index.set(64, "item 64 again");

    // Then each is found, a replaced one counts once, and absent seqs are not there
    assert.equal(index.size, seqs.length);
    assert.equal(index.get(64), "item 64 again");
    assert.equal(index.get(2 ** 40 + 3), "item 1099511627779");
    for (const absent of [0, 2, 66, 129, 2 ** 40 + 4]) assert.equal(index.get(absent), undefined);

    // When some are deleted, one of them twice
    assert.equal(index.delete(63), true);
    assert.equal(index.delete(63), false);
    assert.equal(index.delete(64), true);
    assert.equal(index.delete(5), false);

    // Then only the others are left
    assert.equal(index.size, seqs.length - 2);
    assert.equal(index.get(63), undefined);
    assert.equal(index.get(65), "item 65");
  });

  it("iterates in send order: seqs ascending, chunk by chunk; first is the oldest left", () => {
    // Given 1,000 items sent in seq order, and the first 150 deleted
    const index = new SeqIndex<number>();
    for (let seq = 1; seq <= 1_000; seq++) index.set(seq, seq);
    for (let seq = 1; seq <= 150; seq++) index.delete(seq);

    // Then iteration gives the rest in order, and first the oldest of them
    assert.deepEqual(
      [...index.values()],
      Array.from({ length: 850 }, (_, i) => 151 + i),
    );
    assert.equal(index.first(), 151);
  });

  it("puts an older seq whose chunk is gone after the newer ones, as a Map would put a moved message", () => {
    // Given items in a later chunk only
    const index = new SeqIndex<number>();
    index.set(200, 200);
    index.set(201, 201);

    // When an item with an older seq arrives (a message moved in from another queue)
    index.set(5, 5);

    // Then it comes last, and the first item is still the oldest sent here
    assert.deepEqual([...index.values()], [200, 201, 5]);
    assert.equal(index.first(), 200);
  });

  it("is empty again once every item is deleted or it is cleared", () => {
    const index = new SeqIndex<number>();
    for (let seq = 1; seq <= 300; seq++) index.set(seq, seq);
    for (let seq = 1; seq <= 300; seq++) index.delete(seq);
    assert.equal(index.size, 0);
    assert.equal(index.first(), undefined);
    assert.deepEqual([...index.values()], []);

    for (let seq = 1; seq <= 300; seq++) index.set(seq, seq);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.get(42), undefined);
    index.set(42, 42);
    assert.deepEqual([...index.values()], [42]);
  });

  it("keeps sparse seqs (a queue sent to along with many others) in a Map's memory, in the same order", () => {
    // Given 50,000 items one seq in a hundred, then an older seq whose chunk was never used
    const index = new SeqIndex<{ seq: number }>();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50_000; i++) index.set(1_000 + i * 100, { seq: 1_000 + i * 100 });
    const heapAfter = process.memoryUsage().heapUsed;
    index.set(7, { seq: 7 });

    // Then they take about a Map's memory (chunks of 64 slots would take over 30 MB)
    assert.ok(heapAfter - heapBefore < 12_000_000, `${heapAfter - heapBefore} bytes`);
    // And everything reads as before: by seq, in order, oldest first, the moved one last
    assert.equal(index.size, 50_001);
    assert.equal(index.get(1_000 + 123 * 100)?.seq, 13_300);
    assert.equal(index.get(1_001), undefined);
    const seqs = [...index.values()].map((item) => item.seq);
    assert.deepEqual(seqs.slice(0, 3), [1_000, 1_100, 1_200]);
    assert.equal(seqs.at(-1), 7);
    assert.equal(index.first()?.seq, 1_000);

    // When all are deleted, then dense items are kept by seq again, in order
    for (const seq of seqs) assert.equal(index.delete(seq), true);
    assert.equal(index.size, 0);
    assert.equal(index.first(), undefined);
    for (let seq = 10_000_000; seq < 10_000_200; seq++) index.set(seq, { seq });
    assert.deepEqual(
      [...index.values()].map((item) => item.seq),
      Array.from({ length: 200 }, (_, i) => 10_000_000 + i),
    );
  });
});
