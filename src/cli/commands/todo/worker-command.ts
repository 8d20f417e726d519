import { Command, Option } from "commander";
import { MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS } from "../../../apps/aws/sqs-limits.ts";
import { runWorker } from "../../../apps/jobs/run-worker.ts";
import { TaskRegistry } from "../../../apps/jobs/task-registry.ts";
import { CALENDAR_TASK } from "../../../apps/todo/calendar-job.ts";
import { calendarTask } from "../../../apps/todo/calendar-task.ts";
import { counted } from "../../../apps/counted.ts";
import { durationFlag, shareFlag, wholeNumberFlag, wholeSecondsFlag } from "../../parse-flags.ts";
import { addJobsOptions, withJobsSetup } from "./todo-flags.ts";
import type { JobsFlags } from "./todo-flags.ts";

interface WorkerFlags extends JobsFlags {
  concurrency: number;
  visibilityTimeout: number;
  waitSeconds: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  maxRuntime: number;
  renderDelayMs: number;
  failRate: number;
}

/** `mailroom worker`: renders the Todo app's calendars from the job queue, until stopped. */
export function workerCommand(): Command {
  const command = new Command("worker")
    .description(
      "run calendar jobs of `mailroom todo`: render each user's iCalendar and store it (folder or S3)",
    )
    .addOption(
      new Option("--concurrency <n>", "jobs run at once")
        .default(4)
        .argParser(wholeNumberFlag("--concurrency", { min: 1, max: 256 })),
    )
    .addOption(
      new Option(
        "--visibility-timeout <s>",
        "how long a job in hand stays hidden from other workers (renewed while held; a killed worker's jobs come back after it)",
      )
        .default(30)
        .argParser(
          wholeSecondsFlag("--visibility-timeout", { min: 1, max: MAX_VISIBILITY_SECONDS }),
        ),
    )
    .addOption(
      new Option("--wait-seconds <s>", "long-poll wait of each receive")
        .default(10)
        .argParser(wholeSecondsFlag("--wait-seconds", { max: MAX_WAIT_SECONDS })),
    )
    .addOption(
      new Option("--retry-base-seconds <s>", "delay before the first retry; doubles each attempt")
        .default(1)
        .argParser(wholeSecondsFlag("--retry-base-seconds", { max: MAX_VISIBILITY_SECONDS })),
    )
    .addOption(
      new Option("--retry-max-seconds <s>", "longest delay between attempts")
        .default(60)
        .argParser(wholeSecondsFlag("--retry-max-seconds", { max: MAX_VISIBILITY_SECONDS })),
    )
    .addOption(
      new Option(
        "--max-runtime <s>",
        "stop after this long (0: run until stopped; or 500ms, 5m...)",
      )
        .default(0)
        .argParser(durationFlag("--max-runtime", { unit: "s" })),
    )
    .addOption(
      new Option(
        "--render-delay-ms <ms>",
        "make each render take this much longer (a slow renderer)",
      )
        .default(0)
        .argParser(durationFlag("--render-delay-ms", { unit: "ms", maxMs: 600_000 })),
    )
    .addOption(
      new Option(
        "--fail-rate <share>",
        "fail this share (0-1) of renders on purpose, to watch retries",
      )
        .default(0)
        .argParser(shareFlag("--fail-rate")),
    )
    .action(async (flags: WorkerFlags) => runWorkerCommand(flags));
  return addJobsOptions(command);
}

async function runWorkerCommand(flags: WorkerFlags): Promise<void> {
  await withJobsSetup(
    flags,
    "mailroom-worker",
    async ({ logger, sqs, queueUrl, backend, calendars, stop }) => {
      const tasks = new TaskRegistry().define(
        CALENDAR_TASK,
        calendarTask({
          store: calendars,
          renderDelayMs: flags.renderDelayMs,
          failRate: flags.failRate,
        }),
      );
      process.stdout.write(
        `Worker ${process.pid}: ${queueUrl} -> ${calendars.kind} ${calendars.location}, concurrency ${flags.concurrency}\n`,
      );
      const started = performance.now();
      const summary = await runWorker({
        sqs,
        queueUrl,
        tasks,
        backend,
        logger,
        concurrency: flags.concurrency,
        waitSeconds: flags.waitSeconds,
        visibilitySeconds: flags.visibilityTimeout,
        retry: {
          baseDelaySeconds: flags.retryBaseSeconds,
          maxDelaySeconds: Math.max(flags.retryBaseSeconds, flags.retryMaxSeconds),
          maxReceives: flags.maxAttempts,
        },
        signal: stop,
        maxRuntimeMs: flags.maxRuntime,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `Worker ${process.pid} stopped after ${seconds} s: ${counted(summary.succeeded, "job")} succeeded, ` +
          `${summary.superseded} superseded, ${summary.retried} retried, ${summary.failed} failed` +
          `${summary.invalid > 0 ? `, ${summary.invalid} invalid` : ""}` +
          `${summary.alreadyDone > 0 ? `, ${summary.alreadyDone} received again when already done` : ""}` +
          `${summary.failed + summary.invalid > 0 ? ` (to ${summary.deadLetterQueue ?? "nowhere: no dead-letter queue"})` : ""}\n`,
      );
    },
  );
}
