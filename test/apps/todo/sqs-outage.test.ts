import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { FINAL_STATUSES } from "../../../src/apps/jobs/job-record.ts";
import type { JobRecord } from "../../../src/apps/jobs/job-record.ts";
import { createBroker } from "../../../src/broker/create-broker.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { call, startTodoApp, startWorker } from "./todo-processes.ts";

const dir = mkdtempSync(join(tmpdir(), "mailroom-todo-outage-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface CalendarStatus {
  version: number;
  upToDate: boolean;
  lastJob: JobRecord | null;
}

/** A broker keeping its queues in `brokerDir`, so one started again on `port` has them still. */
async function startBroker(port = 0) {
  const broker = createBroker({ dataDir: join(dir, "broker"), host: "127.0.0.1", port });
  const { endpoint } = await broker.listen();
  return { broker, endpoint, port: Number(new URL(endpoint).port) };
}

it("enqueues a change SQS refused again once SQS is back: the calendar catches up with no other change", async () => {
  // Given a Todo app whose SQS goes away
  const first = await startBroker();
  const { endpoint, port } = first;
  let { broker } = first;
  const app = await startTodoApp(endpoint, join(dir, "app"));
  let worker: CliProcess | undefined;
  try {
    await broker.close();

    // When a change is made meanwhile
    const change = await call<{ calendarJob: { id?: string; error?: string } }>(
      `${app.url}/users/fay/items`,
      { method: "POST", body: { title: "Dentist", due: "2027-03-01" } },
    );

    // Then it is saved, the answer says the job was not enqueued, and the failed job is the last job
    assert.equal(change.status, 201);
    assert.match(change.json.calendarJob.error!, /ECONNREFUSED/);
    const failedId = change.json.calendarJob.id!;
    const status = await call<CalendarStatus>(`${app.url}/users/fay/calendar`);
    assert.equal(status.json.lastJob?.id, failedId);
    assert.equal(status.json.lastJob?.status, "failed");

    // And once SQS is back (and a worker runs), the calendar shows the change by itself
    ({ broker } = await startBroker(port));
    worker = await startWorker(endpoint, join(dir, "app"));
    // (the worker writes the calendar, then records its job as settled)
    let caughtUp: CalendarStatus | undefined;
    await waitUntil(
      async () => {
        caughtUp = (await call<CalendarStatus>(`${app.url}/users/fay/calendar`)).json;
        const settled = caughtUp.lastJob !== null && FINAL_STATUSES.has(caughtUp.lastJob.status);
        return caughtUp.upToDate && settled;
      },
      30_000,
      "fay's calendar up to date and its job settled",
    );
    assert.notEqual(caughtUp!.lastJob?.id, failedId);
    assert.equal(caughtUp!.lastJob?.status, "succeeded");
  } finally {
    await worker?.stop("SIGKILL");
    await app.cli.stop("SIGKILL");
    await broker.close();
  }
});

it("stops at once on SIGTERM while a background enqueue waits on an SQS that never answers", async () => {
  // Given a change SQS refused, and then an SQS that takes connections and never answers
  const { broker, endpoint, port } = await startBroker();
  const app = await startTodoApp(endpoint, join(dir, "app-hung"));
  const held: Socket[] = [];
  const silent = createServer((socket) => held.push(socket));
  try {
    await broker.close();
    const change = await call(`${app.url}/users/gus/items`, {
      method: "POST",
      body: { title: "Dentist", due: "2027-03-01" },
    });
    assert.equal(change.status, 201);
    await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
    // The background round (1 s after the refusal) is then waiting on it
    await waitUntil(async () => held.length > 0, 10_000, "the retry's connection");

    // When the app is told to stop, then it exits, with its own stop's code
    const stopped = app.cli.stop("SIGTERM");
    const exit = await Promise.race([stopped, sleep(15_000).then(() => undefined)]);
    assert.ok(
      exit !== undefined,
      `the app still runs 15 s after SIGTERM: ${app.cli.stdout()} ${app.cli.stderr()}`,
    );
    assert.equal(exit.code, 0);
  } finally {
    await app.cli.stop("SIGKILL");
    for (const socket of held) socket.destroy();
    silent.close();
  }
});

it("answers a change within 10 s when SQS stops answering, saying the job was not enqueued", async () => {
  // Given a Todo app whose SQS stops answering (a broker under kill -STOP)
  const { broker, endpoint } = await startBroker();
  const proxy = await startStallingProxy(endpoint);
  const app = await startTodoApp(proxy.endpoint, join(dir, "app-stalled"));
  try {
    proxy.stall();

    // When a change is made meanwhile
    const change = await call<{ calendarJob: { id?: string; error?: string } }>(
      `${app.url}/users/hal/items`,
      {
        method: "POST",
        body: { title: "Dentist", due: "2027-03-01" },
        // SQS gets 10 s; with no deadline the answer never came
        signal: AbortSignal.timeout(30_000),
      },
    );

    // Then it is saved, and the answer says SQS did not answer the job's send
    assert.equal(change.status, 201);
    assert.match(
      change.json.calendarJob.error!,
      /SQS did not answer within 10 s \(send to todo-calendars\)/,
    );
  } finally {
    await app.cli.stop("SIGKILL");
    await proxy.close();
    await broker.close();
  }
});

it("the app and a worker stopped while SQS does not answer their start-up stop at once", async () => {
  // Given an SQS that takes connections and never answers
  const held: Socket[] = [];
  const silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const started = [
    startCli(["todo", "--endpoint-url", endpoint, "--port", "0", "--data-dir", join(dir, "t")]),
    startCli(["worker", "--endpoint-url", endpoint, "--data-dir", join(dir, "w")]),
  ];
  try {
    // When each is told to stop while it sets up its queue there
    await waitUntil(async () => held.length >= 2, 60_000, "both set-ups' connections");
    const exits = await Promise.all(
      started.map((cli) => Promise.race([cli.stop("SIGTERM"), sleep(5_000).then(() => undefined)])),
    );

    // Then each stops at once, as a stopped job, saying so (not that SQS did not answer)
    for (const exit of exits) {
      assert.ok(exit !== undefined, "still running 5 s after SIGTERM");
      assert.equal(exit.code, 143, exit.stderr);
      assert.match(exit.stderr, /^mailroom: stopped by SIGTERM while starting$/m);
    }
  } finally {
    for (const cli of started) await cli.stop("SIGKILL");
    for (const socket of held) socket.destroy();
    silent.close();
  }
});
