import { stoppedExitCode } from "../../../apps/app-error.ts";
import { Command, Option } from "commander";
import { counted } from "../../../apps/counted.ts";
import { join } from "node:path";
import { connectionFrom } from "../../aws-flags.ts";
import { CliError } from "../../cli-error.ts";
import { writeOutputFile } from "../../output-file.ts";
import { checkWritableFile } from "../../writable-file.ts";
import type { AwsFlags } from "../../aws-flags.ts";
import { wholeNumberFlag } from "../../parse-flags.ts";
import { stopOnSignals } from "../../stop-on-signals.ts";
import { formatDemoReport } from "../../todo-demo/demo-report.ts";
import { startMailroom } from "../../todo-demo/mailroom-process.ts";
import type { MailroomProcess } from "../../todo-demo/mailroom-process.ts";
import { runTodoDemo } from "../../todo-demo/run-todo-demo.ts";
import type { DemoMode, DemoResult } from "../../todo-demo/run-todo-demo.ts";
import { makeFoldersSync } from "../../../apps/make-folders.ts";
import { debounceBounds } from "./debounce-flags.ts";

interface TodoDemoFlags extends AwsFlags {
  users: number;
  items: number;
  workers: number;
  concurrency: number;
  mode: "both" | DemoMode;
  reportJson?: string;
  onAws?: boolean;
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
    .addOption(
      new Option(
        "--on-aws",
        "use Amazon SQS (with --region, --profile) instead of starting a local broker",
      ),
    )
    .addHelpText(
      "after",
      "\nIt also takes `mailroom todo`'s --debounce-ms and --debounce-max-ms (the coalesced\n" +
        "run's), --data-dir (runs go in <data-dir>/demo, emptied first) and AWS flags\n" +
        "(--endpoint-url: that broker, not an in-process one); the app's other flags are refused.",
    )
    .action(async (_: unknown, self: Command) => {
      refuseAppOnlyFlags(self);
      await runDemoCommand(self.optsWithGlobals<TodoDemoFlags>(), self.parent ?? self);
    });
  return command;
}

/** The `mailroom todo` settings the demo reads; it sets every other one itself. */
const DEMO_READS = new Set([
  "dataDir",
  "debounceMs",
  "debounceMaxMs",
  "region",
  "profile",
  "endpointUrl",
  "sqsEndpointUrl",
  "s3EndpointUrl",
  "dynamodbEndpointUrl",
  "logLevel",
  "logFormat",
]);

/**
 * `mailroom todo demo --queue mine` would be ignored (the demo makes its
 * own queue, calendars and app processes for each run): a flag of the app
 * given to the demo is refused rather than silently dropped.
 */
function refuseAppOnlyFlags(demo: Command): void {
  const app = demo.parent;
  if (app === null) return;
  for (const option of app.options) {
    const key = option.attributeName();
    if (DEMO_READS.has(key) || app.getOptionValueSource(key) !== "cli") continue;
    throw new CliError(
      `todo demo does not take ${option.long}: it starts the app and its workers itself, with settings of its own`,
      2,
    );
  }
}

async function runDemoCommand(flags: TodoDemoFlags, todo: Command): Promise<void> {
  // Checked before anything starts; runDemos reads the same bounds.
  const debounce = debounceBounds(flags, todo);
  if (flags.onAws && (flags.endpointUrl ?? flags.sqsEndpointUrl) !== undefined) {
    throw new CliError("give --on-aws or --endpoint-url, not both", 2);
  }
  if (flags.reportJson !== undefined)
    checkWritableFile(flags.reportJson, "--report-json", "replace-or-write");
  const demoDir = join(flags.dataDir, "demo");
  makeFoldersSync(demoDir);
  // Ctrl-C or SIGTERM: the run under way stops its processes and deletes its queues.
  const stop = stopOnSignals();
  const results: DemoResult[] = [];
  try {
    await runDemos(
      { ...flags, debounceMaxMs: debounce.maxDebounceMs },
      demoDir,
      stop.signal,
      results,
    );
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    const signal = String(stop.signal.reason);
    for (const line of results.length > 0 ? formatDemoReport(results) : []) print(line);
    throw new CliError(
      `todo demo stopped by ${signal} ${results.length > 0 ? "during its second run; the first one's figures are above" : "before a run ended; nothing was measured"}`,
      stoppedExitCode(signal),
    );
  } finally {
    stop.dispose();
  }
  for (const line of formatDemoReport(results)) print(line);
  if (flags.reportJson !== undefined) {
    await writeOutputFile(flags.reportJson, `${JSON.stringify({ flags, results }, null, 2)}\n`);
  }
}

/** Runs the modes `flags` asks for, each one's result added to `results` as it ends. */
async function runDemos(
  flags: TodoDemoFlags,
  demoDir: string,
  stop: AbortSignal,
  results: DemoResult[],
): Promise<void> {
  let broker: MailroomProcess | undefined;
  try {
    let endpoint = flags.sqsEndpointUrl ?? flags.endpointUrl;
    if (endpoint === undefined && !flags.onAws) {
      // A process of its own, as in production: the demo's 50 clients share this one.
      broker = startMailroom(
        "the broker",
        ["server", "--in-memory", "--port", "0", "--log-level", "warn", "--log-format", "json"],
        join(demoDir, "broker.log"),
      );
      endpoint = (await broker.waitFor(/listening on (http\S+)/, { stop }))[1]!;
    }
    const connection = connectionFrom({
      ...flags,
      ...(endpoint === undefined ? {} : { endpointUrl: endpoint }),
    });
    const awsArgs = [
      ...(endpoint === undefined ? [] : ["--endpoint-url", endpoint]),
      "--region",
      flags.region,
      ...(flags.profile === undefined ? [] : ["--profile", flags.profile]),
    ];
    const modes: DemoMode[] = flags.mode === "both" ? ["coalesced", "every-change"] : [flags.mode];
    print(
      `Todo demo: ${counted(flags.users, "user")} x ${counted(flags.items, "tick")}, ${counted(flags.workers, "worker")} x concurrency ${flags.concurrency}, on ${broker ? `a local broker at ${endpoint}` : (endpoint ?? `Amazon SQS in ${flags.region}`)}`,
    );
    for (const mode of modes) {
      print(`running ${mode}...`);
      results.push(
        await runTodoDemo({
          mode,
          awsArgs,
          connection,
          dataDir: demoDir,
          users: flags.users,
          items: flags.items,
          workers: flags.workers,
          concurrency: flags.concurrency,
          debounceMs: flags.debounceMs,
          maxDebounceMs: flags.debounceMaxMs,
          settleTimeoutMs: 120_000,
          stop,
          ...(broker === undefined ? {} : { broker }),
        }),
      );
    }
  } finally {
    await broker?.stop();
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
