import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryTally } from "../../../src/apps/queue-practical/delivery-tally.ts";
import {
  formatMessageBody,
  parseMessageBody,
} from "../../../src/apps/queue-practical/message-body.ts";
import { formatReceivedLine } from "../../../src/apps/queue-practical/received-line.ts";

describe("queue practical message bodies", () => {
  it("round-trips the prefix and the number", () => {
    assert.equal(formatMessageBody("", 7), "Message 7");
    assert.deepEqual(parseMessageBody(formatMessageBody("run 2 ", 42)), {
      prefix: "run 2 ",
      number: 42,
    });
    assert.equal(parseMessageBody("hello"), undefined);
    assert.equal(parseMessageBody("Message 7 and more"), undefined);
  });
});

describe("DeliveryTally", () => {
  it("counts a first delivery below the highest number seen from its client as out of order", () => {
    const tally = new DeliveryTally();
    const verdicts = [0, 2, 1, 3].map((n) => tally.record("Client 1", `Message ${n}`));
    assert.deepEqual(
      verdicts.map((verdict) => verdict.outOfOrder),
      [false, false, true, false],
    );
    assert.deepEqual(tally.summary(), {
      received: 4,
      outOfOrder: 1,
      duplicates: 0,
      clients: [{ client: "Client 1", received: 4, outOfOrder: 1, duplicates: 0 }],
    });
  });

  it("keeps clients and prefixes apart, so interleaved senders and --prepend runs are in order", () => {
    const tally = new DeliveryTally();
    tally.record("Client 1", "Message 5");
    tally.record("Client 2", "Message 0");
    tally.record("Client 1", "again Message 0");
    tally.record(undefined, "Message 1");
    tally.record(undefined, "Message 0");
    const summary = tally.summary();
    assert.equal(summary.outOfOrder, 1);
    assert.deepEqual(
      summary.clients.map((client) => [client.client, client.outOfOrder]),
      [
        ["Client 1", 0],
        ["Client 2", 0],
        [undefined, 1],
      ],
    );
  });

  it("counts the same body from the same client again as a duplicate only", () => {
    const tally = new DeliveryTally();
    tally.record("Client 1", "Message 0");
    tally.record("Client 1", "Message 1");
    assert.deepEqual(tally.record("Client 1", "Message 0"), { duplicate: true, outOfOrder: false });
    assert.deepEqual(tally.record("Client 2", "Message 0"), {
      duplicate: false,
      outOfOrder: false,
    });
    assert.deepEqual(tally.record("Client 1", "hello"), { duplicate: false, outOfOrder: false });
    assert.deepEqual(tally.record("Client 1", "hello"), { duplicate: true, outOfOrder: false });
    const { received, outOfOrder, duplicates } = tally.summary();
    assert.deepEqual(
      { received, outOfOrder, duplicates },
      { received: 6, outOfOrder: 0, duplicates: 2 },
    );
  });
});

describe("formatReceivedLine", () => {
  it("prints the practical's line, and one line whatever the body holds", () => {
    const at = new Date(2024, 0, 1, 9, 5, 7);
    assert.equal(formatReceivedLine(at, "Client 1", "Message 7"), "[09:05:07] Client 1: Message 7");
    assert.equal(formatReceivedLine(at, undefined, "hi"), "[09:05:07] (no client): hi");
    assert.equal(formatReceivedLine(at, "x", "a\nb"), '[09:05:07] x: "a\\nb"');
  });
});
