import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  cleanUp,
  createQueueWithDlq,
  messagesOn,
  readLog,
  readStats,
  readWidgets,
  receiveAll,
  replay,
  sendRequests,
  sortedValues,
  startConsumer,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";
import type { ConsumerRun } from "./consumer-fixture.ts";

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

/**
 * A consumer of `queueUrl`, once it is up and polling: the tests' timed waits
 * start then, not while seven consumers start at once on a busy host; and a
 * request held back on the queue for a few seconds surely comes after one sent
 * without a delay. Its requests stay hidden 30 s, not the course's 2 s: these
 * tests count receives, and a consumer descheduled for 2 s would receive again
 * the requests it holds.
 */
async function readyConsumer(queueUrl: string): Promise<ConsumerRun> {
  const run = startConsumer([
    "--request-queue",
    queueUrl,
    "--endpoint-url",
    broker.endpoint,
    "--queue-visibility-timeout",
    "30",
  ]);
  await run.cli.waitFor(/^Consumer \d+: queue /m, 120_000);
  return run;
}

/** Waits until the queue is empty, then stops the consumer with SIGTERM and checks it exits 0. */
async function drainAndStop(run: ConsumerRun, queueUrl: string) {
  await waitUntil("the queue to empty", async () => (await messagesOn(broker, queueUrl)) === 0);
  const exit = await run.cli.stop("SIGTERM");
  assert.equal(exit.code, 0, exit.stderr);
  return readStats(run.statsFile)!;
}

describe("the consumer on requests that arrive out of order", { concurrency: true }, () => {
  it("applies a widget's numbered requests in revision order whatever order they arrive in", async () => {
    // Given a standard queue (with a dead-letter queue) holding updates 2 and 3
    // of a widget whose create is not sent yet, and a second widget's requests in reverse order
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, {
      label: "FIRST",
      description: "created",
      otherAttributes: [
        { name: "color", value: "red" },
        { name: "size", value: "5" },
      ],
    });
    const update2 = widgetRequest("update", id, {
      label: "SECOND",
      otherAttributes: [{ name: "color", value: "blue" }],
    });
    const update3 = widgetRequest("update", id, {
      description: "",
      otherAttributes: [
        { name: "size", value: "" },
        { name: "note", value: "third" },
      ],
    });
    const other = randomUUID();
    const otherCreate = widgetRequest("create", other, { owner: "Sue Smith", label: "X" });
    const otherUpdate = widgetRequest("update", other, { owner: "Sue Smith", label: "Y" });
    const otherDelete = widgetRequest("delete", other, { owner: "Sue Smith" });
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(update3), revision: 3 },
      { body: JSON.stringify(update2), revision: 2 },
      { body: JSON.stringify(otherDelete), revision: 3 },
      { body: JSON.stringify(otherUpdate), revision: 2 },
      { body: JSON.stringify(otherCreate), revision: 1 },
    ]);

    // When a consumer has taken the early updates, and only then the create is sent
    const run = await readyConsumer(queueUrl);
    await waitUntil("the early updates", () => (readStats(run.statsFile)?.received ?? 0) >= 5);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), revision: 1 }]);
    const stats = await drainAndStop(run, queueUrl);

    // Then the first widget is create + update 2 + update 3, in that order, and the second is gone
    const widgets = await readWidgets(run.widgetDir);
    assert.deepEqual(sortedValues(widgets), sortedValues(replay([create, update2, update3])));
    // And every request was taken once: none handed back, none set aside
    assert.equal(stats.received, 6, JSON.stringify(stats));
    assert.equal(stats.errors, 0);
    assert.deepEqual(stats.setAside, {});
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
  });

  it("moves an attribute removed and set again in one update to the end, in whatever order the updates arrive", async () => {
    // Given a widget's create, an update setting color, and one removing and setting it again,
    // sent last first
    const { queueUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, {
      otherAttributes: [
        { name: "color", value: "red" },
        { name: "size", value: "1" },
      ],
    });
    const update2 = widgetRequest("update", id, {
      otherAttributes: [{ name: "color", value: "green" }],
    });
    const update3 = widgetRequest("update", id, {
      otherAttributes: [
        { name: "color", value: "" },
        { name: "color", value: "blue" },
      ],
    });
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(update3), revision: 3 },
      { body: JSON.stringify(update2), revision: 2 },
      { body: JSON.stringify(create), revision: 1 },
    ]);

    // When a consumer drains the queue
    const run = await readyConsumer(queueUrl);
    await drainAndStop(run, queueUrl);

    // Then color is last, as applying the requests in order puts it
    const widgets = await readWidgets(run.widgetDir);
    assert.deepEqual(sortedValues(widgets), sortedValues(replay([create, update2, update3])));
    assert.deepEqual(widgets.get(id)?.otherAttributes, [
      { name: "size", value: "1" },
      { name: "color", value: "blue" },
    ]);
  });

  it("keeps an update whose create never comes, warns once, and sets nothing aside", async () => {
    // Given revision 2 of a widget whose create (revision 1) is never sent
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 2);
    const orphan = widgetRequest("update", randomUUID(), { label: "ORPHAN" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(orphan), revision: 2 }]);

    // When a consumer drains the queue
    const run = await readyConsumer(queueUrl);
    const stats = await drainAndStop(run, queueUrl);

    // Then it was taken once, with the course's warning, and no widget was made from it
    assert.equal(stats.received, 1);
    assert.equal(stats.warnings, 1);
    assert.deepEqual(stats.setAside, {});
    assert.match(
      readLog(run),
      new RegExp(`Widget ${orphan.widgetId} does not exist; nothing to update`),
    );
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
    assert.equal((await readWidgets(run.widgetDir)).size, 0);
  });

  it("applies an unnumbered update that comes before its create on top of it", async () => {
    // Given an update whose create is sent a moment later but delayed, neither numbered (as the course's)
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "A", description: "d" });
    const update = widgetRequest("update", id, { label: "B" });
    const run = await readyConsumer(queueUrl);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), delaySeconds: 4 }]);
    await sleep(5);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(update) }]);

    // When a consumer takes the update first, then the create
    await waitUntil("the update", () => readStats(run.statsFile)?.received === 1);
    const stats = await drainAndStop(run, queueUrl);

    // Then the widget is the create with the update on top, as produced
    assert.equal(stats.created, 1);
    assert.equal(stats.updated, 1);
    assert.deepEqual(
      sortedValues(await readWidgets(run.widgetDir)),
      sortedValues(replay([create, update])),
    );
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
  });

  it("counts the warning of an update naming another owner in its closing summary", async () => {
    // Given Mary Matthews's widget, created
    const { queueUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "A" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), revision: 1 }]);
    const run = await readyConsumer(queueUrl);
    await waitUntil("the create", () => readStats(run.statsFile)?.created === 1);

    // When an update of it naming Sue Smith comes, and the consumer stops
    const update = widgetRequest("update", id, { owner: "Sue Smith", label: "B" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(update), revision: 2 }]);
    await waitUntil("the update", () => readStats(run.statsFile)?.updated === 1);
    const exit = await run.cli.stop("SIGTERM");

    // Then the update applied with its owner warning, and the summary counts that warning
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(readLog(run), /names owner Sue Smith, but the widget belongs to Mary Matthews/);
    assert.equal(readStats(run.statsFile)!.warnings, 1);
    assert.match(exit.stdout, /\b1 warning\b/);
    assert.deepEqual(
      [...(await readWidgets(run.widgetDir)).values()].map(({ owner, label }) => ({
        owner,
        label,
      })),
      [{ owner: "Mary Matthews", label: "B" }],
    );
  });

  it("says a late update under another owner changes nothing, not that its other changes apply", async () => {
    // Given a widget deleted and created again under Henry Hops (revisions 3 and 4)
    const { queueUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const henry = { owner: "Henry Hops" };
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(widgetRequest("delete", id, henry)), revision: 3 },
      { body: JSON.stringify(widgetRequest("create", id, { ...henry, label: "H" })), revision: 4 },
    ]);
    const run = await readyConsumer(queueUrl);
    await waitUntil("the delete and create", () => readStats(run.statsFile)?.received === 2);

    // When Mary Matthews's create and update (revisions 1 and 2) arrive after them
    const update = widgetRequest("update", id, { label: "M2" });
    await sendRequests(broker, queueUrl, [
      { body: JSON.stringify(widgetRequest("create", id, { label: "M1" })), revision: 1 },
      { body: JSON.stringify(update), revision: 2 },
    ]);
    await drainAndStop(run, queueUrl);

    // Then the widget is Henry's, and the update is said to be covered, with no owner warning
    assert.deepEqual(
      [...(await readWidgets(run.widgetDir)).values()].map((w) => w.owner),
      ["Henry Hops"],
    );
    const lines = readLog(run)
      .split("\n")
      .filter((line) => line.includes(update.requestId));
    assert.ok(
      lines.some((line) => line.includes("already covers it")),
      lines.join("\n"),
    );
    assert.ok(!lines.some((line) => line.includes("owner never changes")), lines.join("\n"));
  });

  it("a create sent before a delete but delivered after it does not bring the widget back", async () => {
    // Given a create delayed on the queue, and the widget's delete sent after it
    const { queueUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "A" });
    const remove = widgetRequest("delete", id);
    const run = await readyConsumer(queueUrl);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), delaySeconds: 4 }]);
    await sleep(5);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(remove) }]);

    // When a consumer drains the queue (the delete comes first)
    await waitUntil("the delete", () => readStats(run.statsFile)?.received === 1);
    const stats = await drainAndStop(run, queueUrl);

    // Then there is no widget, and the late create was counted as arriving late
    assert.equal((await readWidgets(run.widgetDir)).size, 0);
    assert.equal(stats.lateArrivals, 1, JSON.stringify(stats));
    assert.deepEqual(stats.setAside, {});
  });
});
