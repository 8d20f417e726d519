/**
 * `npm run bench`: the broker's throughput and latency next to a plain
 * node:http ceiling measured in the same run. See docs/benchmarks.md.
 */
import { cleanUpOnInterrupt } from "./cleanup.ts";
import { evaluateGoals, peerVerdicts } from "./goals.ts";
import { LoadGenerator } from "./load/load-generator.ts";
import { describeMachine } from "./machine.ts";
import { parseOptions, USAGE } from "./options.ts";
import type { BenchOptions } from "./options.ts";
import { benchConsole, consoleVerdicts } from "./console/console-bench.ts";
import { benchPipeline } from "./pipeline/pipeline-bench.ts";
import { pipelineVerdicts } from "./pipeline/pipeline-goals.ts";
import { progress } from "./progress.ts";
import { measureQuietly } from "./quiet.ts";
import type { BenchResults } from "./report/bench-results.ts";
import { describeMeasurement, formatFixed } from "./report/format.ts";
import { renderReport } from "./report/print-report.ts";
import { writeResultsFile } from "./report/results-file.ts";
import { runScenarios } from "./runner.ts";
import { selectScenarios } from "./scenarios/all.ts";
import { measureCeiling, startCeilingServer } from "./scenarios/ceiling.ts";
import { fauxqsTarget } from "./targets/fauxqs.ts";
import { mailroomTarget } from "./targets/mailroom.ts";
import type { Target } from "./targets/target.ts";
import type { Measurement } from "./scenarios/scenario.ts";
import type { RunningServer } from "./servers/running-server.ts";

const TARGETS: Record<string, Target> = { mailroom: mailroomTarget, fauxqs: fauxqsTarget };

async function main(argv: string[]): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    // A usage error: one line and exit 2, as every mailroom command does.
    process.stderr.write(`bench: ${messageOf(error)}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const scenarios = selectScenarios(options.only, options.skipMillion);
  const withPipeline =
    !options.skipPipeline && (options.only.length === 0 || options.only.includes("pipeline"));
  const withConsole =
    !options.skipConsole && (options.only.length === 0 || options.only.includes("console"));
  const targets = options.targets.map((name) => TARGETS[name]!);
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const names = [
    ...scenarios.map((s) => s.name),
    ...(withPipeline ? ["pipeline"] : []),
    ...(withConsole ? ["console"] : []),
  ];
  progress(
    `${machine.cpus} x ${machine.cpuModel}, ${machine.node}; scenarios: ${names.join(", ") || "none"}; ` +
      `targets: ${targets.map((t) => t.name).join(", ")}`,
  );
  if (machine.loadAverage > machine.cpus / 2) {
    progress(
      `warning: load average ${formatFixed(machine.loadAverage, 2)}; other work on this machine will skew the numbers`,
    );
  }

  cleanUpOnInterrupt();
  const generator = LoadGenerator.start(options.client);
  const ceilingServer = await startCeilingServer();
  try {
    const ceilingStart = await measureCeilingQuietly("start", ceilingServer, generator, options);
    if (ceilingStart.errors > 0 || !(ceilingStart.messagesPerSecond! > 0)) {
      // Every target is relative to this number; without it the run means nothing.
      throw new Error(`the ceiling measurement failed: ${ceilingStart.firstError ?? "no answers"}`);
    }

    const runs = await runScenarios(scenarios, targets, generator, options);
    // Always against Mailroom (durable), whatever --targets says: the pipeline is Mailroom's.
    const pipeline = withPipeline ? await benchPipeline(options, progress) : undefined;
    const consolePage = withConsole ? await benchConsole(options, progress) : undefined;

    // Measured again at the end: if the machine got busier or quieter meanwhile, the two differ and say so.
    const ceilingEnd = await measureCeilingQuietly("end", ceilingServer, generator, options);
    const ceiling = Math.max(
      ceilingStart.messagesPerSecond ?? 0,
      ceilingEnd.messagesPerSecond ?? 0,
    );

    const results: BenchResults = {
      startedAt,
      command: ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" "),
      machine,
      options,
      ceiling: { start: ceilingStart, end: ceilingEnd, requestsPerSecond: ceiling },
      targets: targets.map((t) => ({ name: t.name, label: t.label, durable: t.durable })),
      runs,
      ...(pipeline === undefined ? {} : { pipeline }),
      ...(consolePage === undefined ? {} : { console: consolePage }),
      verdicts: Object.fromEntries(
        targets.map((t) => [
          t.name,
          [
            ...evaluateGoals(runs, t.name, ceiling),
            ...(t.name === "mailroom"
              ? [
                  ...peerVerdicts(runs, t.name, "fauxqs"),
                  ...pipelineVerdicts(pipeline),
                  ...consoleVerdicts(consolePage),
                ]
              : []),
          ],
        ]),
      ),
    };
    const path = await writeResultsFile(results);
    process.stdout.write(`\n${renderReport(results, path)}`);
  } finally {
    generator.close();
    await ceilingServer.stop();
  }
}

async function measureCeilingQuietly(
  when: string,
  server: RunningServer,
  generator: LoadGenerator,
  options: BenchOptions,
): Promise<Measurement> {
  const log = (line: string): void => progress(`ceiling (${when}): ${line}`);
  const { measurement } = await measureQuietly(
    options.quietWaitMs,
    options.retries,
    log,
    async () => {
      log("measuring plain node:http");
      const measurement = await measureCeiling(server, generator, options);
      log(describeMeasurement(measurement));
      return measurement;
    },
  );
  return measurement;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The error boundary for a broken setup: one line, not a stack trace (bad flags exit 2 in main).
main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${messageOf(error)}\n`);
  process.exitCode = 1;
});
