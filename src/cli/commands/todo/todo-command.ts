import { join } from "node:path";
import { Command, Option } from "commander";
import { JobQueue } from "../../../apps/jobs/job-queue.ts";
import {
  CalendarJobs,
  DEFAULT_COALESCING,
  debounceText,
} from "../../../apps/todo/calendar-jobs.ts";
import {
  createTodoServer,
  DEFAULT_TODO_HOST,
  DEFAULT_TODO_PORT,
} from "../../../apps/todo/todo-server.ts";
import { TodoStore } from "../../../apps/todo/todo-store.ts";
import { durationFlag, portFlag } from "../../parse-flags.ts";
import { listenFailure, settingName } from "../../setting-names.ts";
import { refuseStrayWords } from "../../subcommand-usage.ts";
import { debounceBounds } from "./debounce-flags.ts";
import { todoDemoCommand } from "./todo-demo-command.ts";
import { addJobsOptions, withJobsSetup } from "./todo-flags.ts";
import type { JobsFlags } from "./todo-flags.ts";

interface TodoFlags extends JobsFlags {
  host: string;
  port: number;
  db?: string;
  debounceMs: number;
  debounceMaxMs: number;
  coalesce: boolean;
}

/**
 * `mailroom todo`: the Todo web app of the queue practical's worker-queue
 * exercise; every change enqueues a calendar job for `mailroom worker`.
 * `mailroom todo demo` plays bursts of changes against it and measures.
 */
export function todoCommand(): Command {
  const command = new Command("todo")
    .description(
      "run the Todo web app: items in SQLite, each change enqueues a calendar render for `mailroom worker`",
    )
    .addOption(
      new Option("--host <host>", "interface to bind")
        .default(DEFAULT_TODO_HOST)
        .env("MAILROOM_TODO_HOST"),
    )
    .addOption(
      new Option("--port <port>", "TCP port (0 picks a free one)")
        .default(DEFAULT_TODO_PORT)
        .env("MAILROOM_TODO_PORT")
        .argParser(portFlag("--port")),
    )
    .addOption(
      new Option("--db <file>", "SQLite file of the todo items (default: <data-dir>/todo.db)"),
    )
    .addOption(
      new Option(
        "--debounce-ms <ms>",
        "hold each calendar job this long so a burst of changes needs one render",
      )
        .default(DEFAULT_COALESCING.debounceMs)
        .argParser(durationFlag("--debounce-ms", { unit: "ms", maxMs: 900_000 })),
    )
    .addOption(
      new Option(
        "--debounce-max-ms <ms>",
        "the longest hold: a job waits 2.5 x the time since the user's previous change, within these bounds",
      )
        .default(DEFAULT_COALESCING.maxDebounceMs)
        .argParser(durationFlag("--debounce-max-ms", { unit: "ms", maxMs: 900_000 })),
    )
    .addOption(
      new Option(
        "--no-coalesce",
        "render every change (no versions to skip stale jobs, no debounce): the baseline",
      ),
    )
    // A stray word (`todo demoo`) is named as no subcommand; the usage line stays as it was.
    .argument("[words...]")
    .usage("[options] [command]")
    .action(async (words: string[], flags: TodoFlags, command: Command) => {
      refuseStrayWords(command, words);
      await runTodo(flags, command);
    });
  // `todo demo` reads --data-dir, the debounce and the AWS flags from here, given before or after `demo`.
  return addJobsOptions(command).addCommand(todoDemoCommand());
}

async function runTodo(flags: TodoFlags, command: Command): Promise<void> {
  // Checked before any connection is made: a usage error is one line, exit 2.
  const coalescing = flags.coalesce
    ? { coalesce: true, ...debounceBounds(flags, command) }
    : { coalesce: false, debounceMs: 0, maxDebounceMs: 0 };
  await withJobsSetup(
    flags,
    "mailroom-todo",
    async ({ logger, sqs, queueUrl, backend, calendars, stop }) => {
      const store = new TodoStore(flags.db ?? join(flags.dataDir, "todo.db"));
      let jobs: CalendarJobs | undefined;
      try {
        jobs = new CalendarJobs({
          jobs: new JobQueue({ sqs, queueUrl, backend, signal: stop }),
          store,
          coalescing,
          logger,
        });
        const server = createTodoServer({
          host: flags.host,
          port: flags.port,
          store,
          calendars,
          jobs,
          backend,
          logger,
        });
        const { url } = await server.listen().catch((error: NodeJS.ErrnoException) => {
          throw listenFailure(error, { ...flags, setting: settingName(command, "port") });
        });
        process.stdout.write(`Todo app listening on ${url}\n`);
        process.stdout.write(`  items: ${store.location}; job results: ${backend.location}\n`);
        process.stdout.write(
          `  calendar jobs: ${queueUrl} (${coalescing.coalesce ? `coalesced, ${debounceText(coalescing)} debounce` : "one render per change"}); calendars: ${calendars.location}\n`,
        );
        if (!stop.aborted) {
          await new Promise((resolve) => stop.addEventListener("abort", resolve, { once: true }));
        }
        logger.info({ signal: stop.reason }, "shutting down");
        await server.close();
        process.stdout.write("Todo app stopped\n");
      } finally {
        jobs?.close();
        store.close();
      }
    },
  );
}
