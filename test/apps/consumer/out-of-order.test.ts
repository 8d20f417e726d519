import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { REVISION_ATTRIBUTE } from "../../../src/widgets/request-order.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  cleanUp,
  createQueueWithDlq,
  messagesOn,
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

/** A consumer of `queueUrl` with short retries; `extra` flags last. */
function consume(queueUrl: string, extra: readonly string[] = []): ConsumerRun {
  return startConsumer([
    "--request-queue",
    queueUrl,
    "--endpoint-url",
    broker.endpoint,
    "--retry-base-seconds",
    "1",
    "--retry-max-seconds",
    "2",
    ...extra,
  ]);
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
      { body: JSON.stringify(update2), revision: 2 },
      { body: JSON.stringify(update3), revision: 3 },
      { body: JSON.stringify(otherDelete), revision: 3 },
      { body: JSON.stringify(otherUpdate), revision: 2 },
      { body: JSON.stringify(otherCreate), revision: 1 },
    ]);

    // When a consumer has handed the early updates back, and only then the create is sent
    const run = consume(queueUrl, ["--max-receives", "6"]);
    await waitUntil(
      "an early update to be handed back",
      () => (readStats(run.statsFile)?.outOfOrderRetries ?? 0) > 0,
    );
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), revision: 1 }]);
    const stats = await drainAndStop(run, queueUrl);

    // Then the first widget is create + update 2 + update 3, in that order, and the second is gone
    const widgets = await readWidgets(run.widgetDir);
    assert.deepEqual(sortedValues(widgets), sortedValues(replay([create, update2, update3])));
    // And the early ones were waited for or handed back, never applied early or set aside
    assert.ok(stats.outOfOrderRetries > 0, JSON.stringify(stats));
    // The two updates came before their create for certain; the second
    // widget's requests only if the queue's best-effort order kept them reversed.
    assert.ok(stats.outOfOrderArrivals >= 2, JSON.stringify(stats));
    assert.equal(stats.created + stats.updated + stats.deleted, 6);
    assert.equal(stats.warnings, 0);
    assert.deepEqual(stats.setAside, {});
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
  });

  it("sets an update whose create never comes aside to the dead-letter queue, naming the widget", async () => {
    // Given revision 2 of a widget whose create (revision 1) is never sent
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    const orphan = widgetRequest("update", randomUUID(), { label: "ORPHAN" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(orphan), revision: 2 }]);

    // When a consumer that gives up after 3 receives drains the queue
    const run = consume(queueUrl, ["--max-receives", "3", "--retry-max-seconds", "1"]);
    const stats = await drainAndStop(run, queueUrl);

    // Then it was handed back twice, then set aside with a reason naming the widget and revision
    assert.equal(stats.outOfOrderRetries, 2);
    assert.deepEqual(stats.setAside, { "out of order": 1 });
    const [dead, ...more] = await receiveAll(broker, dlqUrl);
    assert.equal(more.length, 0);
    assert.equal(dead?.Body, JSON.stringify(orphan));
    const reason = dead.MessageAttributes?.["set-aside-reason"]?.StringValue ?? "";
    assert.match(
      reason,
      new RegExp(`UPDATE request ${orphan.requestId} for widget ${orphan.widgetId}`),
    );
    assert.match(reason, /came 3 times before an earlier request/);
    assert.match(reason, /revision 2; the store has 0/);
    assert.equal(dead.MessageAttributes?.[REVISION_ATTRIBUTE]?.StringValue, "2");
    // And no widget was made from it
    assert.equal((await readWidgets(run.widgetDir)).size, 0);
  });

  it("gives up at the queue's redrive maxReceiveCount when it is lower than --max-receives", async () => {
    // Given a queue that redrives after 2 receives, and an orphan revision 3
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 2);
    const orphan = widgetRequest("delete", randomUUID());
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(orphan), revision: 3 }]);

    // When a consumer with --max-receives 8 drains it
    const stats = await drainAndStop(consume(queueUrl, ["--max-receives", "8"]), queueUrl);

    // Then the consumer itself set it aside on the 2nd receive, with its reason (not a bare redrive)
    assert.equal(stats.outOfOrderRetries, 1);
    assert.deepEqual(stats.setAside, { "out of order": 1 });
    const dead = await receiveAll(broker, dlqUrl);
    assert.equal(dead.length, 1);
    assert.match(
      dead[0]!.MessageAttributes?.["set-aside-reason"]?.StringValue ?? "(none)",
      new RegExp(`DELETE request .* for widget ${orphan.widgetId} came 2 times`),
    );
  });

  it("retries an unnumbered update that comes before its create, then applies both", async () => {
    // Given an update whose create is not sent yet, neither numbered (as the course's samples)
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "A", description: "d" });
    const update = widgetRequest("update", id, { label: "B" });
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(update) }]);

    // When a consumer has handed the update back once, and then the create comes
    const run = consume(queueUrl, ["--max-receives", "4"]);
    await waitUntil(
      "the update to be handed back",
      () => (readStats(run.statsFile)?.outOfOrderRetries ?? 0) > 0,
    );
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create) }]);
    const stats = await drainAndStop(run, queueUrl);

    // Then the update waited for the create and was applied on top of it
    assert.ok(stats.outOfOrderRetries > 0, JSON.stringify(stats));
    assert.equal(stats.created, 1);
    assert.equal(stats.updated, 1);
    assert.equal(stats.warnings, 0);
    assert.deepEqual(
      sortedValues(await readWidgets(run.widgetDir)),
      sortedValues(replay([create, update])),
    );
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
  });

  it("an unnumbered update between numbered requests keeps the widget's revision", async () => {
    // Given a widget created by numbered request 1, then updated by an unnumbered request
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 10);
    const id = randomUUID();
    const create = widgetRequest("create", id, { label: "A" });
    const unnumbered = widgetRequest("update", id, { description: "from another tool" });
    const second = widgetRequest("update", id, { label: "B" });
    const run = consume(queueUrl, ["--max-receives", "2"]);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(create), revision: 1 }]);
    await waitUntil("the create", () => readStats(run.statsFile)?.created === 1);
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(unnumbered) }]);
    await waitUntil("the unnumbered update", () => readStats(run.statsFile)?.updated === 1);

    // When numbered request 2 comes
    await sendRequests(broker, queueUrl, [{ body: JSON.stringify(second), revision: 2 }]);
    const stats = await drainAndStop(run, queueUrl);

    // Then it is applied at once: it is the next after revision 1, which the store still has
    assert.equal(stats.updated, 2, JSON.stringify(stats));
    assert.equal(stats.outOfOrderArrivals, 0);
    assert.deepEqual(stats.setAside, {});
    assert.deepEqual(
      sortedValues(await readWidgets(run.widgetDir)),
      sortedValues(replay([create, unnumbered, second])),
    );
    assert.equal((await receiveAll(broker, dlqUrl)).length, 0);
  });
});
