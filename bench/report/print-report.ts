import type { Verdict } from "../goals.ts";
import { renderPipelineReport } from "../pipeline/pipeline-report.ts";
import { NOISE_CORES } from "../quiet.ts";
import type { ScenarioRun } from "../runner.ts";
import type { Measurement } from "../scenarios/scenario.ts";
import { pairedRatio } from "../paired-ratio.ts";
import type { BenchResults } from "./bench-results.ts";
import { formatCount, formatFixed, formatMs, formatRatio } from "./format.ts";
import { renderTable } from "./table.ts";

type Row = string[];

function headline(results: BenchResults): string {
  const m = results.machine;
  const o = results.options;
  return [
    `Mailroom benchmark, ${results.startedAt}`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${formatFixed(m.memoryGiB, 1)} GiB, ${m.node}, Linux ${m.kernel}, ` +
      `data on ${m.dataFilesystem}, load average ${formatFixed(m.loadAverage, 2)} at start`,
    `command: ${results.command}`,
    `load: ${o.concurrency} in flight over keep-alive connections (${o.client} ${o.client === "undici" ? m.undici : ""}), ` +
      `${o.warmupMs / 1000} s warm-up + ${o.durationMs / 1000} s measured, 100-byte bodies`,
  ].join("\n");
}

function ceilingText(results: BenchResults): string {
  const describe = (label: string, m: Measurement | undefined): string =>
    m === undefined
      ? `${label}: not measured`
      : `${label} ${formatCount(m.requestsPerSecond)} req/s (p50 ${formatMs(m.latency?.p50Ms)} ms, ` +
        `p99 ${formatMs(m.latency?.p99Ms)} ms, server ${formatFixed(m.serverCores, 2)} / generator ` +
        `${formatFixed(m.generatorCores, 2)} / other ${formatFixed(m.otherCores, 2)} cores, generator ` +
        `${formatCount(((m.generatorCores ?? 0) * 1e6) / (m.requestsPerSecond ?? 1))} µs CPU per request)`;
  return [
    `Ceiling: plain node:http answering a fixed JSON body, same generator and SendMessage request.`,
    `  ${describe("start", results.ceiling.start)}`,
    `  ${describe("end  ", results.ceiling.end)}`,
    `  targets are judged against ${formatCount(results.ceiling.requestsPerSecond)} req/s (the higher).`,
  ].join("\n");
}

/** Server CPU per request, in µs; NaN when the server's CPU was not sampled. */
export function serverUsPerRequest(m: Measurement): number {
  return ((m.serverCores ?? Number.NaN) * 1e6) / (m.requestsPerSecond ?? Number.NaN);
}

/** `run` against `base`: msg/s and server µs a request, paired round by round when it can be. */
function ratioCell(run: ScenarioRun, base: ScenarioRun | undefined): string {
  if (base?.measurement === undefined) return "-";
  const rate = pairedRatio(run, base, (m) => m.messagesPerSecond ?? 0);
  const cost = pairedRatio(run, base, serverUsPerRequest);
  const paired = rate.pairedRounds > 0 ? ` (${rate.pairedRounds} rounds)` : "";
  return `${formatFixed(rate.ratio, 2)}x, ${formatFixed(cost.ratio, 2)}x${paired}`;
}

/** Headline rows of one scenario: a label and a cell per target. */
function scenarioRows(results: BenchResults, scenario: string, title: string): Row[] {
  const ceiling = results.ceiling.requestsPerSecond;
  const runOf = (name: string, target: string): ScenarioRun | undefined =>
    results.runs.find((r) => r.scenario === name && r.target === target);
  const cells = (pick: (m: Measurement, run: ScenarioRun) => string): string[] =>
    results.targets.map((t) => {
      const run = runOf(scenario, t.name);
      if (run?.error !== undefined) return "failed";
      if (run?.skipped !== undefined) return "n/a";
      return run?.measurement === undefined ? "-" : pick(run.measurement, run);
    });
  const rate = (m: Measurement): string =>
    `${formatCount(m.messagesPerSecond)} (${formatRatio((m.messagesPerSecond ?? 0) / ceiling)})`;
  const latency = (m: Measurement): string =>
    `${formatMs(m.latency?.p50Ms)} / ${formatMs(m.latency?.p99Ms)}`;
  const rows: Row[] =
    scenario === "million"
      ? [
          [title, "fill msg/s", ...cells((m) => formatCount(m.messagesPerSecond))],
          [
            "",
            "RSS MiB filled / restarted",
            ...cells(
              (m) => `${formatCount(m.details.rssMiB)} / ${formatCount(m.details.restartRssMiB)}`,
            ),
          ],
          [
            "",
            "restart s (ListQueues / all back)",
            ...cells((m) =>
              m.details.restartMs === undefined
                ? "n/a (in-memory)"
                : `${formatFixed((m.details.readyMs ?? 0) / 1000, 2)} / ${formatFixed(m.details.restartMs / 1000, 2)}`,
            ),
          ],
        ]
      : [
          [
            title,
            scenario === "e2e" ? "delivered msg/s (x ceiling)" : "msg/s (x ceiling)",
            ...cells(rate),
          ],
          [
            "",
            scenario === "e2e" ? "send->receive p50 / p99 ms" : "p50 / p99 ms",
            ...cells(latency),
          ],
        ];
  const twins = results.runs.find((r) => r.scenario === scenario)?.twins ?? [];
  for (const twin of twins) {
    rows.push([
      "",
      `x ${twin}: msg/s, server µs/req`,
      ...cells((_m, run) => ratioCell(run, runOf(twin, run.target))),
    ]);
  }
  // With --compare, every target against the last one (fauxqs), in the same scenario.
  const peer = results.targets.length > 1 ? results.targets.at(-1)!.name : undefined;
  if (peer !== undefined && runOf(scenario, peer)?.measurement !== undefined) {
    rows.push([
      "",
      `x ${peer}: msg/s, server µs/req`,
      ...cells((_m, run) => (run.target === peer ? "" : ratioCell(run, runOf(scenario, peer)))),
    ]);
  }
  const errors = cells((m) => (m.errors > 0 ? formatCount(m.errors) : ""));
  if (errors.some((e) => e !== "" && e !== "-" && e !== "failed" && e !== "n/a"))
    rows.push(["", "errors", ...errors]);
  return rows;
}

function sideBySide(results: BenchResults): string {
  const scenarios = [...new Map(results.runs.map((r) => [r.scenario, r.title])).entries()];
  const rows = scenarios.flatMap(([name, title]) => scenarioRows(results, name, title));
  return renderTable(
    [
      { heading: "Scenario" },
      { heading: "Metric" },
      ...results.targets.map((t) => ({ heading: t.label, align: "right" as const })),
    ],
    rows,
  );
}

function details(runs: readonly ScenarioRun[]): string {
  const rows = runs
    .filter((run) => run.skipped === undefined)
    .map((run): Row => {
      const m = run.measurement;
      if (m === undefined) return [run.scenario, run.target, "failed"];
      return [
        run.scenario,
        run.target,
        formatCount(m.requestsPerSecond),
        formatCount(m.messagesPerSecond),
        formatMs(m.latency?.p50Ms),
        formatMs(m.latency?.p99Ms),
        formatMs(m.latency?.maxMs),
        formatFixed(m.serverCores, 2),
        formatCount(serverUsPerRequest(m)),
        formatFixed(m.generatorCores, 2),
        formatFixed(m.otherCores, 2),
        formatCount(m.peakRssMiB),
        formatCount(m.errors),
      ];
    });
  const right = { align: "right" as const };
  return renderTable(
    [
      { heading: "Scenario" },
      { heading: "Target" },
      { heading: "req/s", ...right },
      { heading: "msg/s", ...right },
      { heading: "p50 ms", ...right },
      { heading: "p99 ms", ...right },
      { heading: "max ms", ...right },
      { heading: "server cores", ...right },
      // CPU per request barely moves when other work steals cores, unlike req/s.
      { heading: "server µs/req", ...right },
      { heading: "gen cores", ...right },
      { heading: "other cores", ...right },
      { heading: "peak RSS MiB", ...right },
      { heading: "errors", ...right },
    ],
    rows,
  );
}

/** Judged goals only; a partial run (`--only`) says how many it left out instead of listing them. */
function verdictTable(verdicts: readonly Verdict[]): string {
  const judged = verdicts.filter((v) => v.status !== "not run");
  const table = renderTable(
    [
      { heading: "Target" },
      { heading: "Threshold" },
      { heading: "Measured" },
      { heading: "Result" },
    ],
    judged.map((v) => [v.goal, v.threshold, v.value, v.status]),
  );
  const skipped = verdicts.length - judged.length;
  return skipped === 0
    ? table
    : `${table}\n(${skipped} more targets need scenarios this run skipped)`;
}

function notes(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const target of results.targets) {
    if (!target.durable) {
      lines.push(
        `${target.label}: keeps messages in memory only, nothing is written to disk and a restart loses them all.`,
      );
    }
  }
  const skipped = new Map<string, string[]>();
  for (const run of results.runs) {
    if (run.skipped === undefined) continue;
    const key = `${run.target}: ${run.skipped}`;
    skipped.set(key, [...(skipped.get(key) ?? []), run.scenario]);
  }
  for (const [why, scenarios] of skipped) lines.push(`${scenarios.join(", ")} not run for ${why}.`);
  for (const run of results.runs) {
    const signingUs = run.measurement?.details.signingUsPerRequest;
    if (signingUs !== undefined) {
      const m = run.measurement!;
      const generatorUs = ((m.generatorCores ?? Number.NaN) * 1e6) / (m.requestsPerSecond ?? 1);
      lines.push(
        `${run.target} ${run.scenario}: signing took the generator ${formatFixed(signingUs, 1)} µs a request ` +
          `(of ${formatCount(generatorUs)} µs of generator CPU a request in all).`,
      );
    }
  }
  for (const run of results.runs) {
    if (run.error !== undefined)
      lines.push(`${run.target} ${run.scenario} failed: ${run.error.split("\n")[0]}`);
    const m = run.measurement;
    if (m?.firstError !== undefined)
      lines.push(`${run.target} ${run.scenario}: first error: ${m.firstError}`);
    for (const note of m?.notes ?? []) lines.push(`${run.target} ${run.scenario}: ${note}`);
  }
  const noisy = results.runs.filter((r) => (r.measurement?.otherCores ?? 0) > NOISE_CORES);
  if (noisy.length > 0) {
    lines.push(
      `other work on the machine used > ${NOISE_CORES} cores during: ${noisy.map((r) => `${r.target} ${r.scenario}`).join(", ")}; ` +
        `those numbers are low (see "other cores").`,
    );
  }
  const ceiling = results.ceiling.start;
  if (
    ceiling?.generatorCores !== undefined &&
    ceiling.generatorCores > 0.85 &&
    (ceiling.serverCores ?? 1) < 0.95
  ) {
    lines.push(
      `during the ceiling run the generator used ${formatFixed(ceiling.generatorCores, 2)} cores and the ceiling ` +
        `server only ${formatFixed(ceiling.serverCores, 2)}: the ceiling is partly the generator's own limit, so it ` +
        `understates node:http a little and the ratios flatter the broker by as much (\`--client raw\` shows how much).`,
    );
  }
  const e2e = results.runs.find((r) => r.scenario === "e2e")?.measurement;
  if (e2e !== undefined) {
    lines.push(
      `end to end: ${e2e.details.producers} producers + ${e2e.details.consumers} consumers in flight; ` +
        `latency is consumer receive time minus the producer's send start.`,
    );
  }
  return lines.map((line) => `- ${line}`);
}

/** The full text report: headline, ceiling, side-by-side results, details, pipeline, PASS/FAIL per target, notes. */
export function renderReport(results: BenchResults, resultsPath: string): string {
  const sections = [headline(results), ceilingText(results)];
  if (results.runs.length > 0) {
    sections.push(`Results (messages/s relative to the ceiling's req/s)\n${sideBySide(results)}`);
    sections.push(`Details\n${details(results.runs)}`);
  }
  if (results.pipeline !== undefined) sections.push(renderPipelineReport(results.pipeline));
  for (const target of results.targets) {
    const verdicts = results.verdicts[target.name];
    if (verdicts === undefined || verdicts.every((v) => v.status === "not run")) continue;
    const reference = target.name === "mailroom" ? "" : ", for reference";
    sections.push(`Targets: ${target.label}${reference}\n${verdictTable(verdicts)}`);
  }
  const noteLines = notes(results);
  if (noteLines.length > 0) sections.push(`Notes\n${noteLines.join("\n")}`);
  sections.push(`JSON: ${resultsPath}`);
  return `${sections.join("\n\n")}\n`;
}
