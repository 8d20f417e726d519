import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/**
 * Per-minute metrics over HTTP (`GET /_mailroom/metrics/<queue>`), after
 * real SDK calls, with the broker's clock moved by hand across minute
 * boundaries and across days.
 */

const MINUTE = 60_000;

interface MetricsBody {
  queue: string;
  periodSeconds: number;
  start: number;
  metrics: Record<string, (number | null)[]>;
}

describe("per-minute queue metrics over HTTP", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker();
  });
  after(() => broker.close());

  const nameOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

  async function metrics(name: string, minutes = 60): Promise<MetricsBody> {
    const response = await fetch(`${broker.endpoint}/_mailroom/metrics/${name}?minutes=${minutes}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    return (await response.json()) as MetricsBody;
  }

  /** Entry `back` minutes before the current one (0: the current minute) of every metric. */
  function minuteOf(body: MetricsBody, back: number): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (const [name, values] of Object.entries(body.metrics)) {
      out[name] = values[values.length - 1 - back]!;
    }
    return out;
  }

  const send = (QueueUrl: string, MessageBody: string, DelaySeconds?: number) =>
    broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, DelaySeconds }));
  const receive = async (QueueUrl: string, max = 10) =>
    (await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max })))
      .Messages ?? [];
  const remove = (QueueUrl: string, ReceiptHandle: string) =>
    broker.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));

  it("counts each minute's sends, receives, deletes and empty receives, and samples the gauges", async () => {
    // Given a queue created at the start of a minute, whose receives stay in flight for 10 minutes
    const t0 = Math.ceil(broker.clock.now() / MINUTE) * MINUTE;
    broker.clock.advance(t0 - broker.clock.now());
    const url = await broker.createQueue({ VisibilityTimeout: "600" });
    const name = nameOf(url);

    // When, in the first minute, 4 messages of 5, 1, 3 and 8 bytes are sent (one delayed),
    await send(url, "hello");
    await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "a", MessageBody: "a" },
          { Id: "b", MessageBody: "bbb" },
        ],
      }),
    );
    await send(url, "delayed!", 300);
    // three are received, one is deleted twice, and one receive finds nothing
    const first = await receive(url);
    assert.equal(first.length, 3);
    const hello = first.find((m) => m.Body === "hello")!;
    await remove(url, hello.ReceiptHandle!);
    await remove(url, hello.ReceiptHandle!);
    assert.equal((await receive(url)).length, 0);
    // and in the next minute one message is sent, received and deleted, and two receives find nothing
    broker.clock.advance(MINUTE);
    await send(url, "xyz");
    const [xyz] = await receive(url);
    assert.equal(xyz?.Body, "xyz");
    await receive(url);
    await receive(url);
    await remove(url, xyz.ReceiptHandle!);

    // Then each minute has its own counts, the current minute last
    const body = await metrics(name);
    assert.equal(body.queue, name);
    assert.equal(body.periodSeconds, 60);
    assert.equal(body.start, t0 + MINUTE - 59 * MINUTE);
    for (const values of Object.values(body.metrics)) assert.equal(values.length, 60);
    assert.deepEqual(minuteOf(body, 1), {
      NumberOfMessagesSent: 4,
      NumberOfMessagesReceived: 3,
      NumberOfMessagesDeleted: 2, // a repeated delete counts, as on CloudWatch
      NumberOfEmptyReceives: 1,
      SentMessageSize: (5 + 1 + 3 + 8) / 4,
      // the minute's end, sampled at the boundary: "a" and "bbb" in flight, one delayed
      ApproximateNumberOfMessagesVisible: 0,
      ApproximateNumberOfMessagesNotVisible: 2,
      ApproximateNumberOfMessagesDelayed: 1,
      ApproximateAgeOfOldestMessage: 60,
    });
    assert.deepEqual(minuteOf(body, 0), {
      NumberOfMessagesSent: 1,
      NumberOfMessagesReceived: 1,
      NumberOfMessagesDeleted: 1,
      NumberOfEmptyReceives: 2,
      SentMessageSize: 3,
      ApproximateNumberOfMessagesVisible: 0,
      ApproximateNumberOfMessagesNotVisible: 2,
      ApproximateNumberOfMessagesDelayed: 1,
      ApproximateAgeOfOldestMessage: 60,
    });
    // before the queue existed: no events, and no gauge values
    assert.deepEqual(minuteOf(body, 2), {
      NumberOfMessagesSent: 0,
      NumberOfMessagesReceived: 0,
      NumberOfMessagesDeleted: 0,
      NumberOfEmptyReceives: 0,
      SentMessageSize: null,
      ApproximateNumberOfMessagesVisible: null,
      ApproximateNumberOfMessagesNotVisible: null,
      ApproximateNumberOfMessagesDelayed: null,
      ApproximateAgeOfOldestMessage: null,
    });

    // When five quiet minutes pass (the delayed message becomes visible at 5 minutes)
    broker.clock.advance(5 * MINUTE + 10_000);
    const later = await metrics(name, 180);
    for (const values of Object.values(later.metrics)) assert.equal(values.length, 180);
    // Then every quiet minute has gauges sampled at its end, and no events
    for (let back = 1; back <= 4; back++) {
      const minute = minuteOf(later, back);
      assert.equal(minute.NumberOfMessagesSent, 0);
      assert.equal(minute.NumberOfEmptyReceives, 0);
      assert.equal(minute.ApproximateNumberOfMessagesNotVisible, 2);
      assert.equal(minute.ApproximateAgeOfOldestMessage, (7 - back) * 60);
    }
    assert.equal(minuteOf(later, 3).ApproximateNumberOfMessagesDelayed, 1);
    assert.deepEqual(
      [
        minuteOf(later, 0).ApproximateNumberOfMessagesVisible,
        minuteOf(later, 0).ApproximateNumberOfMessagesDelayed,
      ],
      [1, 0],
    );
    assert.equal(minuteOf(later, 0).ApproximateAgeOfOldestMessage, 6 * 60 + 10);
  });

  it("keeps exactly the last 24 hours, in memory that does not grow as days pass", async () => {
    // Given a queue with a send in the current minute
    const url = await broker.createQueue({ MessageRetentionPeriod: "1209600" });
    const name = nameOf(url);
    await send(url, "old");
    const day = await metrics(name, 1440);
    assert.equal(day.metrics.NumberOfMessagesSent!.length, 1440);
    assert.equal(day.metrics.NumberOfMessagesSent!.at(-1), 1);

    // When three days pass, a minute at a time for the sampler, with a send each day
    const buffersBefore = process.memoryUsage().arrayBuffers;
    for (let d = 0; d < 3; d++) {
      broker.clock.advance(24 * 60 * MINUTE);
      await send(url, `day ${d}`);
    }
    const buffersAfter = process.memoryUsage().arrayBuffers;

    // Then the last 1,440 minutes hold the last day's send only, and a gauge for every minute
    const now = await metrics(name, 1440);
    const sent = now.metrics.NumberOfMessagesSent!;
    assert.equal(sent.length, 1440);
    assert.equal(
      sent.reduce((a, b) => (a ?? 0) + (b ?? 0), 0),
      1,
    );
    assert.equal(sent.at(-1), 1);
    assert.ok(now.metrics.ApproximateNumberOfMessagesVisible!.every((v) => v !== null));
    assert.equal(now.metrics.ApproximateNumberOfMessagesVisible!.at(-1), 4);
    assert.equal(now.metrics.ApproximateAgeOfOldestMessage!.at(-1), 3 * 24 * 3600);
    // and memory stays bounded: an hour's chunk (2,880 bytes) an hour at most, a day's kept
    assert.ok(
      buffersAfter - buffersBefore < 1024 * 1024,
      `array buffers grew by ${buffersAfter - buffersBefore} bytes`,
    );
  });

  it("answers 404 for an unknown queue and 400 for a bad number of minutes", async () => {
    const missing = await fetch(`${broker.endpoint}/_mailroom/metrics/no-such-queue`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      __type: "com.amazonaws.sqs#QueueDoesNotExist",
      message: "The specified queue does not exist.",
    });
    const name = nameOf(await broker.createQueue());
    for (const minutes of ["0", "1441", "abc", "60.5", "-60", ""]) {
      const bad = await fetch(`${broker.endpoint}/_mailroom/metrics/${name}?minutes=${minutes}`);
      assert.equal(bad.status, 400, `minutes=${minutes}`);
      const error = (await bad.json()) as { __type: string; message: string };
      assert.equal(error.__type, "com.amazonaws.sqs#InvalidParameterValueException");
      assert.match(error.message, /minutes must be a whole number from 1 to 1440/);
    }
    // no minutes: the last hour
    const hour = await metrics(name, 60);
    const defaulted = (await (
      await fetch(`${broker.endpoint}/_mailroom/metrics/${name}`)
    ).json()) as MetricsBody;
    assert.equal(defaulted.metrics.NumberOfMessagesSent!.length, 60);
    assert.equal(defaulted.start, hour.start);
  });
});
