import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { AwsConnection } from "../../apps/aws/aws-connection.ts";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { deadLetterQueueName } from "../../apps/jobs/ensure-job-queue.ts";
import { debounceText } from "../../apps/todo/calendar-jobs.ts";
import { CliError } from "../cli-error.ts";
import { describeExit } from "../process-exit.ts";
import { DemoClient } from "./demo-client.ts";
import type { CalendarStatus } from "./demo-client.ts";
import { startMailroom } from "./mailroom-process.ts";
import type { MailroomProcess } from "./mailroom-process.ts";
import { makeFoldersSync } from "../../apps/make-folders.ts";

/** `coalesced`: versions and a debounce; `every-change`: one render per change (the baseline). */
export type DemoMode = "coalesced" | "every-change";

export interface DemoOptions {
  readonly mode: DemoMode;
  /** Where SQS is, as the children's flags say it (`--endpoint-url`, `--region`, `--profile`). */
  readonly awsArgs: readonly string[];
  /** The same for the demo's own client, which deletes each run's queues after it. */
  readonly connection: AwsConnection;
  /** The run's folder: `<dir>/<mode>` is emptied and holds the app's data and every log. */
  readonly dataDir: string;
  readonly users: number;
  readonly items: number;
  readonly workers: number;
  readonly concurrency: number;
  /** The coalesced run's debounce bounds (`mailroom todo --debounce-ms --debounce-max-ms`). */
  readonly debounceMs: number;
  readonly maxDebounceMs: number;
  /** Longest wait for every calendar to be up to date after the last tick. */
  readonly settleTimeoutMs: number;
  /** Aborted on Ctrl-C or SIGTERM: the run stops where it is, with its reason. */
  readonly stop: AbortSignal;
  /** The demo's own broker, when it started one: its death ends the run too (it outlives the run). */
  readonly broker?: MailroomProcess;
}

/** What one run measured. */
export interface DemoResult {
  readonly mode: DemoMode;
  /** "250-600 ms" or "none". */
  readonly debounce: string;
  readonly users: number;
  readonly changes: number;
  /** From the first tick sent to the last answered. */
  readonly burstMs: number;
  /** Calendars rendered for the ticks (the set-up renders are not counted). */
  readonly renders: number;
  readonly maxRendersPerUser: number;
  readonly superseded: number;
  /** Per user: from the last change to the calendar showing it being stored, ms. */
  readonly freshnessMs: readonly number[];
  readonly runDir: string;
}

const POLL_MS = 25;
/** How long a failed call waits to see whether the process it called has died. */
const DEATH_NOTICE_MS = 1000;

/**
 * One run of the demo: the app and N workers as processes (as users run
 * them), each of U users given I items in one change and their calendars
 * rendered; then every user ticks off their items one request at a time,
 * all users at once. It waits until every calendar shows the last tick,
 * and counts the renders the ticks cost and how long after each user's
 * last change their calendar was stored.
 */
export async function runTodoDemo(options: DemoOptions): Promise<DemoResult> {
  const runDir = resolve(options.dataDir, options.mode);
  rmSync(runDir, { recursive: true, force: true });
  makeFoldersSync(runDir);
  const queue = `todo-demo-${options.mode}-${randomBytes(3).toString("hex")}`;
  const shared = [...options.awsArgs, "--queue", queue];
  const processes: MailroomProcess[] = [];
  // Until every process is ready, waitFor says which one did not start and why.
  let ready = false;
  let stopping = false;
  // A process ending before the run stops it ends the run at once, wherever it is.
  const died = new AbortController();
  const stop = AbortSignal.any([options.stop, died.signal]);
  // Every user's call waits on it at once: not a leak.
  setMaxListeners(options.users + 10, stop);
  const watch = (process: MailroomProcess) =>
    void process.ended.then(() => !ready || stopping || died.abort());
  const started = (process: MailroomProcess) => {
    processes.push(process);
    watch(process);
  };
  if (options.broker) watch(options.broker);
  const run = { ...options, stop };
  try {
    const app = startMailroom(
      "the todo app",
      [
        "todo",
        ...shared,
        "--port",
        "0",
        "--data-dir",
        runDir,
        "--log-format",
        "json",
        "--log-level",
        "warn",
        ...(options.mode === "coalesced"
          ? [
              "--debounce-ms",
              String(options.debounceMs),
              "--debounce-max-ms",
              String(options.maxDebounceMs),
            ]
          : ["--no-coalesce"]),
      ],
      join(runDir, "app.log"),
    );
    started(app);
    const [, url] = await app.waitFor(/listening on (http\S+)/, { stop: options.stop });
    // The app made the queue; the workers find it.
    for (let n = 1; n <= options.workers; n += 1) {
      started(
        startMailroom(
          `worker ${n}`,
          [
            "worker",
            ...shared,
            "--data-dir",
            runDir,
            "--concurrency",
            String(options.concurrency),
            "--wait-seconds",
            "1",
            "--log-format",
            "json",
            "--log-level",
            "warn",
          ],
          join(runDir, `worker-${n}.log`),
        ),
      );
    }
    await Promise.all(
      processes.slice(1).map((worker) => worker.waitFor(/^Worker \d+:/m, { stop: options.stop })),
    );
    ready = true;
    const client = new DemoClient(url!, stop);
    const users = Array.from(
      { length: options.users },
      (_, index) => `user${String(index + 1).padStart(3, "0")}`,
    );

    // Given every user's list, rendered once.
    const itemIds = await Promise.all(
      users.map((user) => client.addItems(user, demoItems(options.items))),
    );
    await waitUpToDate(client, users, run);

    // When each user ticks off every item, one request each, all users at once...
    const burstStart = performance.now();
    await Promise.all(
      users.map(async (user, index) => {
        for (const itemId of itemIds[index]!) await client.tick(user, itemId);
      }),
    );
    const burstMs = performance.now() - burstStart;

    // ...then every calendar shows the last tick, this long after it.
    const statuses = await waitUpToDate(client, users, run);
    const freshnessMs = statuses.map((status) => status.calendar!.renderedAt - status.changedAt);
    // A superseded job may still wait for its time after a newer one ran: count once all are settled.
    const stats = await waitSettled(client, run);
    const renders = rendersByUser(await client.succeededJobs());
    const perUser = users.map((user) => renders.get(user) ?? 0);
    stopping = true;
    for (const process of processes.slice(1)) {
      const exit = await process.stop();
      if (exit !== 0) throw new CliError(`${process.name} ${describeExit(exit)}; see ${runDir}`);
    }
    await app.stop();
    return {
      mode: options.mode,
      debounce:
        options.mode === "coalesced" ? debounceText({ coalesce: true, ...options }) : "none",
      users: options.users,
      changes: options.users * options.items,
      burstMs,
      renders: perUser.reduce((sum, count) => sum + count, 0),
      maxRendersPerUser: Math.max(...perUser),
      superseded: stats.jobs.superseded ?? 0,
      freshnessMs,
      runDir,
    };
  } catch (error) {
    if (!ready || stopping || options.stop.aborted) throw error;
    const watched = options.broker ? [options.broker, ...processes] : processes;
    throw (await deathError(watched, runDir)) ?? error;
  } finally {
    for (const process of processes) process.child.kill("SIGKILL");
    await deleteQueues(options.connection, queue);
  }
}

/**
 * A run that failed because one of its processes died says which and how,
 * in one line. A call to an app that was just killed fails a moment before
 * its exit is seen: it waits that moment.
 */
async function deathError(
  processes: readonly MailroomProcess[],
  runDir: string,
): Promise<CliError | undefined> {
  const died = await Promise.race([
    ...processes.map(async (process) => ({ process, exit: await process.ended })),
    sleep(DEATH_NOTICE_MS).then(() => undefined),
  ]);
  if (died === undefined) return undefined;
  return new CliError(`${died.process.name} ${describeExit(died.exit)} mid-run; see ${runDir}`);
}

/** A run's queues are its own: gone after it, on AWS as on the local broker. */
async function deleteQueues(connection: AwsConnection, queue: string): Promise<void> {
  const sqs = createSqsClient(connection);
  try {
    for (const name of [queue, deadLetterQueueName(queue)]) {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    }
  } catch {
    // Best effort: a queue left behind costs nothing and is named after the demo.
  } finally {
    sqs.destroy();
  }
}

/** Items due over the coming days, some at a time of day. */
function demoItems(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2030, 0, 1 + index)).toISOString().slice(0, 10);
    return {
      title: `Task ${index + 1}`,
      notes: `demo item ${index + 1}`,
      due: index % 2 === 0 ? day : `${day}T09:30`,
    };
  });
}

/** Renders of the ticks per user: succeeded jobs after the set-up's version 1. */
function rendersByUser(
  list: Awaited<ReturnType<DemoClient["succeededJobs"]>>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { result } of list.jobs) {
    if (result?.userId === undefined || (result.version ?? 0) < 2) continue;
    counts.set(result.userId, (counts.get(result.userId) ?? 0) + 1);
  }
  return counts;
}

async function waitUpToDate(
  client: DemoClient,
  users: readonly string[],
  { settleTimeoutMs: timeoutMs, stop }: DemoOptions,
): Promise<CalendarStatus[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(users.map((user) => client.calendarStatus(user)));
    if (statuses.every((status) => status.upToDate)) return statuses;
    if (performance.now() > deadline) {
      const behind = statuses.filter((status) => !status.upToDate).length;
      throw new CliError(
        `${behind} calendars were still behind ${timeoutMs / 1000} s after the last change`,
      );
    }
    await sleep(POLL_MS, undefined, { signal: stop });
  }
}

/** Waits until no calendar job is queued, running or waiting for a retry; returns the counts. */
async function waitSettled(
  client: DemoClient,
  { settleTimeoutMs: timeoutMs, stop }: DemoOptions,
): Promise<{ jobs: Record<string, number> }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stats = await client.stats();
    const { queued = 0, started = 0, retrying = 0 } = stats.jobs;
    if (queued + started + retrying === 0) return stats;
    if (performance.now() > deadline) {
      throw new CliError(`${queued + started + retrying} calendar jobs were still unsettled`);
    }
    await sleep(POLL_MS, undefined, { signal: stop });
  }
}
