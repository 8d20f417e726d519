import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import {
  STOPPED_LINE,
  cleanUp,
  createQueueWithDlq,
  messagesOn,
  readStats,
  readWidgets,
  requestsInFolder,
  receiveAll,
  replay,
  sendRequests,
  sortedValues,
  startConsumer,
  tempDir,
  waitUntil,
} from "./consumer-fixture.ts";
import { COURSE_SAMPLES_DIR } from "../../support/course-samples.ts";

/** The course's 35 real sample requests, named by millisecond timestamp. */
const SAMPLES_DIR = COURSE_SAMPLES_DIR;
/** The three deliberately bad samples and what their reason must name. */
const BAD_SAMPLES: Record<string, RegExp> = {
  "1612306374392": /empty/,
  "1612306375135": /type must be one of create, update, delete; got "bad"/,
  "1612306375892": /owner is missing/,
};

const sampleKeys = readdirSync(SAMPLES_DIR).sort();
const sampleBody = (key: string) => readFileSync(join(SAMPLES_DIR, key), "utf8");
/** The 32 good samples, parsed, in key (time) order. */
const goodRequests: WidgetRequest[] = sampleKeys.flatMap((key) => {
  const parsed = parseWidgetRequest(sampleBody(key));
  return parsed.ok ? [parsed.request] : [];
});

let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await cleanUp();
  await broker.close();
});

describe("the consumer on the course's sample requests", { concurrency: true }, () => {
  it("knows the samples: 35 of them, exactly 3 bad", () => {
    assert.equal(sampleKeys.length, 35);
    assert.equal(goodRequests.length, 32);
  });

  it("processes the 32 good samples of a request folder and rejects the 3 bad ones with their reasons", async () => {
    // Given the 35 samples copied, in name order, into a request folder
    const requestDir = join(tempDir(), "requests");
    mkdirSync(requestDir, { recursive: true });
    for (const key of sampleKeys) copyFileSync(join(SAMPLES_DIR, key), join(requestDir, key));

    // When one consumer takes them (a late update of a deleted widget is retried once, 1 s later)
    const run = startConsumer([
      "--request-dir",
      requestDir,
      "--max-receives",
      "2",
      "--retry-base-seconds",
      "1",
    ]);
    await run.cli.waitFor(/^Consumer \d+: folder /m);
    await waitUntil("the request folder to empty", () => requestsInFolder(requestDir) === 0);
    const exit = await run.cli.stop("SIGTERM");

    // Then it stops cleanly, having settled all 32 good samples (one update named a deleted widget)
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, STOPPED_LINE);
    const stats = readStats(run.statsFile)!;
    assert.equal(stats.created + stats.updated + stats.deleted, 32);
    assert.equal(stats.warnings, 1);
    assert.deepEqual(stats.setAside, { invalid: 3 });
    assert.equal(stats.errors, 0);
    // And exactly the 3 bad ones are in rejected/, each with a reason naming its problem
    const rejectedDir = join(requestDir, "rejected");
    const rejected = readdirSync(rejectedDir).sort();
    const badKeys = Object.keys(BAD_SAMPLES).sort();
    assert.deepEqual(rejected, badKeys.flatMap((key) => [key, `${key}.reason`]).sort());
    for (const key of badKeys) {
      assert.equal(readFileSync(join(rejectedDir, key), "utf8"), sampleBody(key));
      assert.match(readFileSync(join(rejectedDir, `${key}.reason`), "utf8"), BAD_SAMPLES[key]!);
    }
    // And the widgets are those of applying the 32 good samples in key order
    assert.deepEqual(
      sortedValues(await readWidgets(run.widgetDir)),
      sortedValues(replay(goodRequests)),
    );
  });

  it("moves the 3 bad samples of a queue to its dead-letter queue with a set-aside-reason", async () => {
    // Given a queue with a dead-letter queue, holding every sample as a message
    // (the empty sample cannot be an SQS message: it goes as a single space)
    const { queueUrl, dlqUrl } = await createQueueWithDlq(broker, 5);
    await sendRequests(
      broker,
      queueUrl,
      sampleKeys.map((key) => ({ body: sampleBody(key) || " " })),
    );

    // When one consumer drains the queue
    const run = startConsumer([
      "--request-queue",
      queueUrl,
      "--endpoint-url",
      broker.endpoint,
      "--max-receives",
      "2",
      "--retry-base-seconds",
      "1",
    ]);
    await waitUntil(
      "the request queue to empty",
      async () => (await messagesOn(broker, queueUrl)) === 0,
    );
    const exit = await run.cli.stop("SIGTERM");

    // Then it stops cleanly having settled the 32 good samples and set aside 3 invalid ones
    assert.equal(exit.code, 0, exit.stderr);
    const stats = readStats(run.statsFile)!;
    assert.equal(stats.created + stats.updated + stats.deleted, 32);
    assert.deepEqual(stats.setAside, { invalid: 3 });
    // And the dead-letter queue holds exactly those 3 (2 bad + the empty one), each with its reason
    const dead = await receiveAll(broker, dlqUrl);
    const reasons = new Map(
      dead.map((message) => [
        message.Body!,
        message.MessageAttributes?.["set-aside-reason"]?.StringValue ?? "(no reason)",
      ]),
    );
    assert.equal(dead.length, 3);
    for (const [key, reason] of Object.entries(BAD_SAMPLES)) {
      const body = sampleBody(key) || " ";
      assert.ok(reasons.has(body), `sample ${key} is not in the dead-letter queue`);
      assert.match(reasons.get(body)!, reason);
    }
    // And the widgets that exist are those the good samples leave
    const widgets = await readWidgets(run.widgetDir);
    assert.deepEqual([...widgets.keys()].sort(), [...replay(goodRequests).keys()].sort());
    assert.ok(!existsSync(join(run.widgetDir, "widgets", "bad")));
  });
});
