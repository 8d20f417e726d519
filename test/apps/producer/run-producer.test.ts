import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { AppError } from "../../../src/apps/app-error.ts";
import { openFolderRequestSink } from "../../../src/apps/producer/folder-request-sink.ts";
import {
  isRequestFileName,
  revisionFilePath,
} from "../../../src/apps/request-folder/request-folder-layout.ts";
import type { GeneratedRequest } from "../../../src/apps/producer/request-generator.ts";
import type { RequestSink } from "../../../src/apps/producer/request-sink.ts";
import { ProducerFailedError, runProducer } from "../../../src/apps/producer/run-producer.ts";
import { openSqsRequestSink } from "../../../src/apps/producer/sqs-request-sink.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import { REVISION_ATTRIBUTE } from "../../../src/widgets/request-position.ts";
import { applyUpdate, widgetFromCreate } from "../../../src/widgets/widget.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

const dirs: string[] = [];
let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-producer-"));
  dirs.push(dir);
  return dir;
}

/** A sink that keeps what it is given. */
function recordingSink(): RequestSink & { received: GeneratedRequest[] } {
  const received: GeneratedRequest[] = [];
  return {
    location: "memory",
    received,
    async send(requests) {
      received.push(...requests);
    },
  };
}

describe("runProducer", () => {
  it("fills a request folder whose requests, replayed in key order, give the expected widgets", async () => {
    // Given a folder sink
    const dir = tempDir();
    const sink = await openFolderRequestSink({ dir: join(dir, "requests") });
    // When 57 requests are produced at full speed
    const progress: number[] = [];
    const summary = await runProducer(
      { count: 57, interRequestDelayMs: 0, seed: 11, sinks: [sink] },
      { onProgress: ({ produced }) => progress.push(produced) },
    );
    // Then the folder holds 57 whole requests named by key, each with its revision
    assert.deepEqual(progress, [10, 20, 30, 40, 50, 57]);
    assert.equal(summary.produced, 57);
    assert.equal(summary.byType.create + summary.byType.update + summary.byType.delete, 57);
    const names = readdirSync(join(dir, "requests")).filter(isRequestFileName).sort();
    assert.equal(names.length, 57);
    assert.equal(names[0], summary.firstKey);
    assert.equal(names.at(-1), summary.lastKey);
    assert.deepEqual(readdirSync(join(dir, "requests", ".revisions")).sort(), names);
    const widgets = new Map<string, Widget>();
    const revisions = new Map<string, number>();
    for (const name of names) {
      const parsed = parseWidgetRequest(readFileSync(join(dir, "requests", name), "utf8"));
      assert.ok(parsed.ok);
      const { request } = parsed;
      const revision = Number(readFileSync(revisionFilePath(join(dir, "requests"), name), "utf8"));
      assert.equal(revision, (revisions.get(request.widgetId) ?? 0) + 1);
      revisions.set(request.widgetId, revision);
      if (request.type === "create") widgets.set(request.widgetId, widgetFromCreate(request));
      else if (request.type === "update") {
        widgets.set(request.widgetId, applyUpdate(widgets.get(request.widgetId)!, request));
      } else widgets.delete(request.widgetId);
    }
    assert.deepEqual(summary.expected, widgets);
  });

  it("stops between requests when aborted and expects only what was sent", async () => {
    const sink = recordingSink();
    const stop = new AbortController();
    const summary = await runProducer(
      { count: 1000, interRequestDelayMs: 5, seed: 3, sinks: [sink], signal: stop.signal },
      { onProgress: ({ produced }) => produced === 6 && stop.abort() },
    );
    assert.equal(summary.stopped, true);
    assert.equal(summary.produced, 6);
    assert.equal(sink.received.length, 6);
    const again = await runProducer({ count: 6, interRequestDelayMs: 0, seed: 3, sinks: [] });
    assert.deepEqual(summary.expected, again.expected);
    assert.equal(again.stopped, false);
  });

  it("sends to a queue one by one or in batches, with the revision attribute", async () => {
    for (const delay of [0, 1]) {
      // Given a fresh queue
      const queueUrl = await broker.createQueue();
      const sink = await openSqsRequestSink({ sqs: broker.sqs, queue: queueUrl });
      // When 23 requests are sent
      const sent = recordingSink();
      await runProducer({ count: 23, interRequestDelayMs: delay, seed: 8, sinks: [sink, sent] });
      // Then all 23 arrive, each with its revision
      const messages = await receiveAll(queueUrl, 23);
      const byBody = new Map(sent.received.map((request) => [request.body, request.revision]));
      assert.equal(messages.length, 23);
      for (const message of messages) {
        const attribute = message.MessageAttributes?.[REVISION_ATTRIBUTE];
        assert.equal(attribute?.DataType, "Number");
        assert.equal(Number(attribute?.StringValue), byBody.get(message.Body!));
      }
    }
  });

  it("a sink failing mid-run: rejects with its error and the counts of the requests stored before it", async () => {
    // Given a sink that refuses its third batch of ten
    const kept = recordingSink();
    const failing: RequestSink = {
      location: "flaky",
      async send(requests) {
        if (kept.received.length === 20) throw new AppError("cannot reach SQS: gone");
        await kept.send(requests);
      },
    };
    // When 50 requests are produced at full speed
    const run = runProducer({ count: 50, interRequestDelayMs: 0, seed: 5, sinks: [failing] });
    // Then the error says the 20 stored, counted by type, and keeps the sink's error
    await assert.rejects(run, (error) => {
      assert.ok(error instanceof ProducerFailedError);
      assert.equal(error.message, "cannot reach SQS: gone");
      assert.ok(error.cause instanceof AppError);
      const { produced, byType, firstKey, lastKey } = error.summary;
      assert.equal(produced, 20);
      for (const type of ["create", "update", "delete"] as const) {
        const stored = kept.received.filter((sent) => sent.request.type === type).length;
        assert.equal(byType[type], stored, type);
      }
      assert.equal(firstKey, kept.received[0]!.key);
      assert.equal(lastKey, kept.received[19]!.key);
      return true;
    });
  });

  it("fails early with the practical's line for a missing queue", async () => {
    await assert.rejects(
      openSqsRequestSink({ sqs: broker.sqs, queue: "no-such-queue" }),
      (error) =>
        error instanceof AppError &&
        error.message === "Unable to find a Queue by this name no-such-queue",
    );
  });
});

async function receiveAll(queueUrl: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let attempt = 0; messages.length < count && attempt < 20; attempt += 1) {
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        WaitTimeSeconds: 1,
      }),
    );
    messages.push(...Messages);
  }
  return messages;
}
