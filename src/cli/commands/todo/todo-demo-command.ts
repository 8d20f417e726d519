import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AwsFlags } from "../../aws-flags.ts";
import { wholeNumberFlag } from "../../parse-flags.ts";
import { formatDemoReport } from "../../todo-demo/demo-report.ts";
import { startMailroom } from "../../todo-demo/mailroom-process.ts";
import type { MailroomProcess } from "../../todo-demo/mailroom-process.ts";
import { runTodoDemo } from "../../todo-demo/run-todo-demo.ts";
import type { DemoMode, DemoResult } from "../../todo-demo/run-todo-demo.ts";

interface TodoDemoFlags extends AwsFlags {
  users: number;
  items: number;
  workers: number;
  concurrency: number;
  mode: "both" | DemoMode;
  reportJson?: string;
  /** From `mailroom todo`: the demo runs in <data-dir>/demo. */
  dataDir: string;
  debounceMs: number;
  debounceMaxMs: number;
}

/**
 * `mailroom todo demo`: the design challenge measured. The app and N workers
 * as processes (on an in-process broker unless `--endpoint-url`), U users each
 * ticking off I items in a burst, once with coalescing and once rendering
 * every change.
 */
export function todoDemoCommand(): Command {
  const command = new Command("demo")
    .description(
      "start the todo app and N workers, play bursts of ticks from many users, and report renders and calendar freshness with and without coalescing",
    )
    .addOption(
      new Option("--users <n>", "users ticking at once")
        .default(50)
        .argParser(wholeNumberFlag("--users", { min: 1, max: 1000 })),
    )
    .addOption(
      new Option("--items <n>", "items each user ticks off, one request each")
        .default(20)
        .argParser(wholeNumberFlag("--items", { min: 1, max: 100 })),
    )
    .addOption(
      new Option("--workers <n>", "worker processes")
        .default(2)
        .argParser(wholeNumberFlag("--workers", { min: 1, max: 16 })),
    )
    .addOption(
      new Option("--concurrency <n>", "jobs each worker runs at once")
        .default(4)
        .argParser(wholeNumberFlag("--concurrency", { min: 1, max: 256 })),
    )
    .addOption(
      new Option("--mode <mode>", "which runs: both, coalesced or every-change")
        .choices(["both", "coalesced", "every-change"])
        .default("both"),
    )
    .addOption(new Option("--report-json <file>", "also write the figures to this file as JSON"))
    .addHelpText(
      "after",
      "\nIt also takes `mailroom todo`'s --debounce-ms and --debounce-max-ms (the coalesced run's), --data-dir (runs go in\n<data-dir>/demo, emptied first) and AWS flags (--endpoint-url: that broker, not an in-process one).",
    )
    .action(async (_: unknown, self: Command) =>
      runDemoCommand(self.optsWithGlobals<TodoDemoFlags>()),
    );
  return command;
}

async function runDemoCommand(flags: TodoDemoFlags): Promise<void> {
  const demoDir = join(flags.dataDir, "demo");
  mkdirSync(demoDir, { recursive: true });
  let broker: MailroomProcess | undefined;
  let endpoint = flags.sqsEndpointUrl ?? flags.endpointUrl;
  if (endpoint === undefined) {
    // A process of its own, as in production: the demo's 50 clients share this one.
    broker = startMailroom(
      "the broker",
      ["server", "--in-memory", "--port", "0", "--log-level", "warn", "--log-format", "json"],
      join(demoDir, "broker.log"),
    );
    endpoint = (await broker.waitFor(/listening on (http\S+)/))[1]!;
  }
  const modes: DemoMode[] = flags.mode === "both" ? ["coalesced", "every-change"] : [flags.mode];
  process.stdout.write(
    `Todo demo: ${flags.users} users x ${flags.items} ticks, ${flags.workers} workers x concurrency ${flags.concurrency}, on ${broker ? `a local broker at ${endpoint}` : endpoint}\n`,
  );
  const results: DemoResult[] = [];
  try {
    for (const mode of modes) {
      process.stdout.write(`running ${mode}...\n`);
      results.push(
        await runTodoDemo({
          mode,
          endpoint,
          region: flags.region,
          dataDir: demoDir,
          users: flags.users,
          items: flags.items,
          workers: flags.workers,
          concurrency: flags.concurrency,
          debounceMs: flags.debounceMs,
          maxDebounceMs: Math.max(flags.debounceMs, flags.debounceMaxMs),
          settleTimeoutMs: 120_000,
        }),
      );
    }
  } finally {
    await broker?.stop();
  }
  for (const line of formatDemoReport(results)) process.stdout.write(`${line}\n`);
  if (flags.reportJson !== undefined) {
    writeFileSync(flags.reportJson, `${JSON.stringify({ flags, results }, null, 2)}\n`);
  }
}
