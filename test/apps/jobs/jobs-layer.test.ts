import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { pino } from "pino";
import { deadLetterQueueName, ensureJobQueue } from "../../../src/apps/jobs/ensure-job-queue.ts";
import { JobQueue, MAX_JOB_DELAY_MS } from "../../../src/apps/jobs/job-queue.ts";
import { FINAL_STATUSES } from "../../../src/apps/jobs/job-record.ts";
import type { JobRecord } from "../../../src/apps/jobs/job-record.ts";
import { runWorker } from "../../../src/apps/jobs/run-worker.ts";
import type { WorkerOptions, WorkerSummary } from "../../../src/apps/jobs/run-worker.ts";
import { SqliteResultBackend } from "../../../src/apps/jobs/sqlite-result-backend.ts";
import { PermanentJobError, TaskRegistry } from "../../../src/apps/jobs/task-registry.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

const logger = pino({ level: "silent" });

describe("jobs over SQS", () => {
  let broker: TestBroker;
  let backend: SqliteResultBackend;
  const folder = mkdtempSync(join(tmpdir(), "mailroom-jobs-"));

  before(async () => {
    broker = await startTestBroker({ clock: systemClock });
    backend = new SqliteResultBackend(join(folder, "jobs.db"));
  });
  after(async () => {
    await backend?.close();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A fresh job queue (with its dead-letter queue) and a worker on it until `until` holds. */
  async function withWorker(
    tasks: TaskRegistry,
    enqueue: (jobs: JobQueue) => Promise<void>,
    until: () => Promise<boolean>,
    options: Partial<WorkerOptions> & { fifo?: boolean; maxReceiveCount?: number } = {},
  ): Promise<{ summary: WorkerSummary; queueUrl: string }> {
    const name = broker.uniqueName("jobs", options.fifo);
    const queueUrl = await ensureJobQueue(broker.sqs, {
      name,
      maxReceiveCount: options.maxReceiveCount ?? 3,
    });
    const finish = startWorker(queueUrl, tasks, {
      retry: { baseDelaySeconds: 1, maxDelaySeconds: 2, maxReceives: 3 },
      ...options,
    });
    await enqueue(new JobQueue({ sqs: broker.sqs, queueUrl, backend, now: options.now }));
    await waitUntil(until, 20_000);
    return { summary: await finish(), queueUrl };
  }

  /** A worker on `queueUrl`, polling every second; the function returned stops it and gives its summary. */
  function startWorker(
    queueUrl: string,
    tasks: TaskRegistry,
    options: Partial<WorkerOptions> = {},
  ): () => Promise<WorkerSummary> {
    const stop = new AbortController();
    const worker = runWorker({
      sqs: broker.sqs,
      queueUrl,
      tasks,
      backend,
      logger,
      waitSeconds: 1,
      signal: stop.signal,
      ...options,
    });
    return () => {
      stop.abort();
      return worker;
    };
  }

  async function record(id: string): Promise<JobRecord> {
    const found = await backend.get(id);
    assert.ok(found, `no record of job ${id}`);
    return found;
  }

  async function settled(...ids: string[]): Promise<boolean> {
    const records = await Promise.all(ids.map((id) => backend.get(id)));
    return records.every((found) => found !== undefined && FINAL_STATUSES.has(found.status));
  }

  it("runs a job and records its result, with its attempts and times", async () => {
    const tasks = new TaskRegistry().define("add", async (payload) => {
      const { a, b } = payload as { a: number; b: number };
      return { sum: a + b };
    });
    let id = "";
    const { summary } = await withWorker(
      tasks,
      async (jobs) => {
        ({ id } = await jobs.enqueue("add", { a: 2, b: 3 }));
        assert.equal((await record(id)).status, "queued");
      },
      () => settled(id),
    );
    const done = await record(id);
    assert.equal(done.status, "succeeded");
    assert.deepEqual(done.result, { sum: 5 });
    assert.equal(done.attempts, 1);
    assert.ok(done.startedAt! >= done.enqueuedAt && done.finishedAt! >= done.startedAt!);
    assert.equal(summary.succeeded, 1);
  });

  it("retries a failing job later each time, then moves it to the dead-letter queue with its error", async () => {
    const attempts: number[] = [];
    const tasks = new TaskRegistry().define("flaky", async (_, { attempt }) => {
      attempts.push(Date.now());
      throw new Error(`broken on attempt ${attempt}`);
    });
    let id = "";
    const { summary, queueUrl } = await withWorker(
      tasks,
      async (jobs) => {
        ({ id } = await jobs.enqueue("flaky", {}));
      },
      () => settled(id),
    );
    const failed = await record(id);
    assert.equal(failed.status, "failed");
    assert.equal(failed.attempts, 3);
    assert.equal(failed.error, "broken on attempt 3");
    assert.deepEqual([summary.retried, summary.failed], [2, 1]);
    // Waits of about 1 s, then 2 s: growing, through the visibility timeout.
    const gaps = attempts.slice(1).map((at, index) => at - attempts[index]!);
    assert.ok(
      gaps[0]! >= 900 && gaps[1]! >= 1900 && gaps[1]! > gaps[0]!,
      `gaps ${gaps.join(", ")}`,
    );
    const dead = await receiveDeadLetters(queueUrl);
    assert.equal(dead.length, 1);
    assert.equal(JSON.parse(dead[0]!.Body!).id, id);
    assert.equal(dead[0]!.MessageAttributes?.["job-error"]?.StringValue, "broken on attempt 3");
  });

  it("gives up at once on a permanent error, and dead-letters what is not a job", async () => {
    const tasks = new TaskRegistry().define("strict", async () => {
      throw new PermanentJobError("the payload makes no sense");
    });
    let id = "";
    let invalid = 0;
    const { queueUrl } = await withWorker(
      tasks,
      async (jobs) => {
        ({ id } = await jobs.enqueue("strict", {}));
        await broker.sqs.send(
          new SendMessageCommand({ QueueUrl: jobs.queueUrl, MessageBody: "not json" }),
        );
        await jobs.enqueue("no-such-task", {});
      },
      async () => (await settled(id)) && invalid === 2,
      { onProgress: (stats) => (invalid = stats.invalid) },
    );
    const failed = await record(id);
    assert.deepEqual(
      [failed.status, failed.attempts, failed.error],
      ["failed", 1, "the payload makes no sense"],
    );
    const reasons = (await receiveDeadLetters(queueUrl)).map(
      (message) => message.MessageAttributes?.["job-error"]?.StringValue,
    );
    assert.deepEqual(reasons.sort(), [
      "no task no-such-task in this worker (it runs strict)",
      "the message body is not JSON",
      "the payload makes no sense",
    ]);
  });

  it("starts a held job no sooner than its runAt by the worker's clock, though a timer may end early by it", async () => {
    // Given a clock at half speed, so that a timer of n ms ends when it has moved n/2
    const origin = Date.now();
    const slowNow = (): number => origin + Math.floor((Date.now() - origin) / 2);
    let ranAt = 0;
    let runAt = 0;
    let id = "";
    const tasks = new TaskRegistry().define("stamp", async () => {
      ranAt = slowNow();
      return null;
    });

    // When a job is held for 300 ms of that clock
    await withWorker(
      tasks,
      async (jobs) => {
        ({ id, runAt } = await jobs.enqueue("stamp", {}, { delayMs: 300 }));
      },
      () => settled(id),
      { now: slowNow },
    );

    // Then it ran once that clock had passed its runAt
    assert.ok(ranAt >= runAt, `ran at ${ranAt}, due at ${runAt}`);
  });

  it("does not run again a job received again after it succeeded (its delete had failed): deletes it", async () => {
    // Given a job that a first worker ran and recorded succeeded, but whose delete never reached
    // the broker (stopped mid-render, say): its message comes back, received a second time
    const queueUrl = await ensureJobQueue(broker.sqs, {
      name: broker.uniqueName("jobs-again"),
      maxReceiveCount: 3,
    });
    const { id } = await new JobQueue({ sqs: broker.sqs, queueUrl, backend }).enqueue("once", {});
    const first = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
    );
    assert.equal(first.Messages?.length, 1);
    await backend.started(id, 1, Date.now());
    await backend.succeeded(id, { first: true }, Date.now());
    const before = await record(id);
    await broker.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: first.Messages![0]!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );

    // When a worker receives it
    let runs = 0;
    const tasks = new TaskRegistry().define("once", async () => {
      runs += 1;
      return { first: false };
    });
    const finish = startWorker(queueUrl, tasks);
    await waitUntil(async () => {
      const counts = await broker.messageCounts(queueUrl);
      return (
        counts?.ApproximateNumberOfMessages === "0" &&
        counts.ApproximateNumberOfMessagesNotVisible === "0"
      );
    }, 20_000);
    const summary = await finish();

    // Then it is deleted unrun: the record is the first run's, and the summary counts it apart
    assert.equal(runs, 0);
    assert.deepEqual(await record(id), before);
    assert.deepEqual([summary.alreadyDone, summary.succeeded], [1, 0]);
  });

  it("refuses a delay longer than a worker can keep a job hidden (11 h), enqueueing nothing", async () => {
    const queueUrl = await ensureJobQueue(broker.sqs, {
      name: broker.uniqueName("jobs-delay"),
      maxReceiveCount: 3,
    });
    const jobs = new JobQueue({ sqs: broker.sqs, queueUrl, backend });
    await assert.rejects(
      jobs.enqueue("render", {}, { delayMs: MAX_JOB_DELAY_MS + 1 }),
      /delayMs must be at most 39600000 \(11 h\)/,
    );
    assert.equal((await broker.messageCounts(queueUrl))?.ApproximateNumberOfMessagesDelayed, "0");
    await jobs.enqueue("render", {}, { delayMs: MAX_JOB_DELAY_MS });
    assert.equal((await broker.messageCounts(queueUrl))?.ApproximateNumberOfMessagesDelayed, "1");
  });

  it("runs only the newest version of coalesced jobs, after their delay", async () => {
    // Long enough that all five are enqueued before the first is due, however busy the machine.
    const DELAY_MS = 3_000;
    const ran: number[] = [];
    const tasks = new TaskRegistry().define("render", async (payload) => {
      ran.push((payload as { version: number }).version);
      return null;
    });
    const ids: string[] = [];
    await withWorker(
      tasks,
      async (jobs) => {
        for (let version = 1; version <= 5; version += 1) {
          const job = await jobs.enqueue(
            "render",
            { version },
            { coalesce: { key: "user-1", version }, delayMs: DELAY_MS },
          );
          ids.push(job.id);
          await sleep(20);
        }
      },
      () => settled(...ids),
    );
    assert.deepEqual(ran, [5]);
    const records = await Promise.all(ids.map(record));
    assert.deepEqual(
      records.map((found) => found.status),
      ["superseded", "superseded", "superseded", "superseded", "succeeded"],
    );
    assert.match(records[0]!.error!, /^version [2-5] of user-1 was enqueued since$/);
    assert.ok(
      records[4]!.startedAt! >= records[4]!.enqueuedAt + DELAY_MS,
      "the newest job waited for its delay",
    );
  });

  it("works the same on a FIFO queue, where SQS allows no delay per message", async () => {
    const ran: string[] = [];
    const tasks = new TaskRegistry().define("echo", async (payload) => {
      ran.push(payload as string);
      return payload;
    });
    const ids: string[] = [];
    await withWorker(
      tasks,
      async (jobs) => {
        for (const word of ["a", "b", "c"])
          ids.push((await jobs.enqueue("echo", word, { delayMs: 200 })).id);
        // The same job id again: FIFO deduplication drops it.
        await jobs.enqueue("echo", "a again", { jobId: ids[0] });
      },
      () => settled(...ids),
      { fifo: true },
    );
    assert.deepEqual(ran, ["a", "b", "c"]);
    assert.deepEqual((await record(ids[0]!)).result, "a");
  });

  it("leaves due jobs it has no slot for in the queue, for other workers", async () => {
    // Given 40 jobs of 50 ms each, and a worker of 2 slots that starts first
    const name = broker.uniqueName("jobs");
    const queueUrl = await ensureJobQueue(broker.sqs, { name, maxReceiveCount: 3 });
    const jobs = new JobQueue({ sqs: broker.sqs, queueUrl, backend });
    const ids: string[] = [];
    for (let n = 0; n < 40; n += 1) ids.push((await jobs.enqueue("work", n)).id);
    const ranBy = { first: 0, second: 0 };
    const stop = new AbortController();
    const worker = (who: keyof typeof ranBy) =>
      runWorker({
        sqs: broker.sqs,
        queueUrl,
        tasks: new TaskRegistry().define("work", async () => {
          ranBy[who] += 1;
          await sleep(50);
        }),
        backend,
        logger,
        concurrency: 2,
        waitSeconds: 1,
        signal: stop.signal,
      });
    const first = worker("first");
    await sleep(200);

    // When a second worker joins
    const second = worker("second");
    await waitUntil(() => settled(...ids), 20_000);
    stop.abort();
    await Promise.all([first, second]);

    // Then it finds work left in the queue: the first held only what its slots could soon take
    assert.equal(ranBy.first + ranBy.second, 40);
    assert.ok(ranBy.second >= 10, `the second worker ran ${ranBy.second} of 40 jobs`);
  });

  for (const protocol of ["json", "query"] as const) {
    it(`stops with one line when its queue is missing or deleted, over the ${protocol} protocol`, async () => {
      // Given a client speaking this protocol (each names a missing queue its own way on the wire)
      const sqs = sqsClient(broker.endpoint, protocol);
      // (its first receive says the worker has started: it found its queue)
      let firstReceive = () => {};
      const receiving = new Promise<void>((resolve) => (firstReceive = resolve));
      sqs.middlewareStack.add(
        (next, context) => (args) => {
          if (context.commandName === "ReceiveMessageCommand") firstReceive();
          return next(args);
        },
        { step: "initialize" },
      );
      const worker = (queueUrl: string) =>
        runWorker({
          sqs,
          queueUrl,
          tasks: new TaskRegistry().define("work", async () => undefined),
          backend,
          logger,
          waitSeconds: 1,
          // Bounds the test: a worker that does not see the queue is gone would poll on.
          maxRuntimeMs: 10_000,
        });
      try {
        // When the queue never existed, Then the worker does not start
        const missing = `${broker.endpoint}/000000000000/${broker.uniqueName("missing")}`;
        await assert.rejects(worker(missing), {
          message: `the job queue ${missing} does not exist`,
        });

        // When the queue is deleted under a running worker, Then it stops
        const name = broker.uniqueName("jobs");
        const queueUrl = await ensureJobQueue(broker.sqs, { name, maxReceiveCount: 3 });
        const running = worker(queueUrl);
        await Promise.race([receiving, running]);
        await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
        await assert.rejects(running, { message: `the job queue ${queueUrl} no longer exists` });
      } finally {
        sqs.destroy();
      }
    });
  }

  async function receiveDeadLetters(queueUrl: string, waitSeconds = 1) {
    const name = deadLetterQueueName(decodeURIComponent(queueUrl.split("/").at(-1)!));
    const { QueueUrl } = await broker.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const found = [];
    for (let round = 0; round < 5; round += 1) {
      const { Messages = [] } = await broker.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageAttributeNames: ["All"],
        }),
      );
      found.push(...Messages);
      if (Messages.length === 0) break;
    }
    return found;
  }
});
