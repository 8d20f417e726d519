import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Slots } from "../../../src/apps/concurrency/slots.ts";

describe("Slots", () => {
  it("lets `size` holders in at once and serves waiters in arrival order", async () => {
    const slots = new Slots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, []);

    first!();
    (await third)!();
    second!();
    await fourth;
    assert.deepEqual(order, ["third", "fourth"]);
  });

  it("a wait that is aborted ends at once with no slot, and loses none", async () => {
    const slots = new Slots(1);
    const held = await slots.acquire();
    const stop = new AbortController();
    const waiting = slots.acquire(stop.signal);
    const next = slots.acquire();

    stop.abort();
    assert.equal(await waiting, undefined);

    // The slot freed now goes to the next waiter, not to the one that left
    held!();
    const release = await next;
    assert.equal(typeof release, "function");
    // And once that one is done, the slot is free again
    release!();
    assert.equal(typeof (await slots.acquire(new AbortController().signal)), "function");
  });

  it("refuses at once when the signal is already aborted", async () => {
    const stop = new AbortController();
    stop.abort();
    assert.equal(await new Slots(1).acquire(stop.signal), undefined);
  });
});
