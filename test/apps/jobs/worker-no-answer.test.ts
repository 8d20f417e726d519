import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { ensureJobQueue } from "../../../src/apps/jobs/ensure-job-queue.ts";
import { JobQueue } from "../../../src/apps/jobs/job-queue.ts";
import { runWorker } from "../../../src/apps/jobs/run-worker.ts";
import { SqliteResultBackend } from "../../../src/apps/jobs/sqlite-result-backend.ts";
import { TaskRegistry } from "../../../src/apps/jobs/task-registry.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { sqsClient, startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import type { StallingProxy } from "../../support/stalling-proxy.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * A worker whose broker stops answering (the stalling proxy passes nothing on
 * any more, as a broker under `kill -STOP`): it is a service, so it says so
 * and keeps trying, and a stop is not held for ever by a call nobody
 * answers. SQS gets 10 s per call; a test waits at most 30 s.
 */
const NO_ANSWER_MS = 30_000;

describe("a worker when SQS stops answering", { concurrency: true }, () => {
  let broker: TestBroker;
  let backend: SqliteResultBackend;
  const folder = mkdtempSync(join(tmpdir(), "mailroom-jobs-no-answer-"));
  const proxies: StallingProxy[] = [];

  before(async () => {
    broker = await startTestBroker({ clock: systemClock });
    backend = new SqliteResultBackend(join(folder, "jobs.db"));
  });
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await backend?.close();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A worker on a fresh job queue through a fresh proxy; its log lines go to `log`. */
  async function startWorker(tasks: TaskRegistry) {
    const name = broker.uniqueName("no-answer-jobs");
    const queueUrl = await ensureJobQueue(broker.sqs, { name, maxReceiveCount: 3 });
    const proxy = await startStallingProxy(broker.endpoint);
    proxies.push(proxy);
    const log: string[] = [];
    const stop = new AbortController();
    const worker = runWorker({
      sqs: sqsClient(proxy.endpoint),
      queueUrl: queueUrl.replace(broker.endpoint, proxy.endpoint),
      tasks,
      backend,
      logger: pino({ level: "info" }, { write: (line: string) => void log.push(line) }),
      waitSeconds: 1,
      signal: stop.signal,
    });
    const jobs = new JobQueue({ sqs: broker.sqs, queueUrl, backend });
    return { name, proxy, log, jobs, worker, stop: () => stop.abort() };
  }

  it("says SQS did not answer its receive and keeps trying, then stops at once", async () => {
    // Given a worker long-polling its job queue, empty once its one job is done
    const tasks = new TaskRegistry().define("ok", () => Promise.resolve({}));
    const { name, proxy, log, jobs, worker, stop } = await startWorker(tasks);
    const { id } = await jobs.enqueue("ok", {});
    await waitUntil(async () => (await backend.get(id))?.status === "succeeded", NO_ANSWER_MS);

    // When the broker stops answering
    proxy.stall();

    // Then it warns that SQS did not answer, once the poll's wait and 10 s are over
    const said = `SQS did not answer within 10 s (receive from ${name})`;
    await waitUntil(async () => log.some((line) => line.includes(said)), NO_ANSWER_MS);
    assert.match(log.join(""), /cannot receive jobs; trying again shortly/);

    // And a stop ends it at once
    stop();
    await within(worker, 5_000);
  });

  it("gives up a retry's delay SQS does not answer, so a stop is not held for ever", async () => {
    // Given a job that fails, the broker having stopped answering while it ran
    let stall = () => {};
    const tasks = new TaskRegistry().define("fail", () => {
      stall();
      throw new Error("boom");
    });
    const { name, proxy, log, jobs, worker, stop } = await startWorker(tasks);
    stall = () => proxy.stall();
    await jobs.enqueue("fail", {});

    // When the worker is told to stop while it delays the job's retry
    await waitUntil(async () => log.some((line) => line.includes("retrying in")), NO_ANSWER_MS);
    stop();

    // Then it stops once the call's 10 s are over, saying why the delay was not set
    await within(worker, NO_ANSWER_MS);
    const warning = log.find((line) => line.includes("cannot delay the job's retry"));
    assert.ok(warning, log.join(""));
    assert.match(
      warning,
      new RegExp(`SQS did not answer within 10 s \\(change visibility on ${name}\\)`),
    );
  });

  it("fails to set up its queue in one line when SQS does not answer", async () => {
    // Given an endpoint that accepts connections and never answers
    const silent = await startStallingProxy();
    proxies.push(silent);

    // When a job queue is set up there, Then it fails in one line once SQS has had 10 s
    await within(
      assert.rejects(
        ensureJobQueue(sqsClient(silent.endpoint), { name: "jobs", maxReceiveCount: 3 }),
        {
          message: "SQS did not answer within 10 s (set up jobs)",
        },
      ),
      NO_ANSWER_MS,
    );
  });
});

/** Waits for `work`, or fails if it takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
