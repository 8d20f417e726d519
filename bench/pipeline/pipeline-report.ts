import { NOISE_CORES } from "../quiet.ts";
import { SLOW_FILE_CREATION_MICROS } from "./file-creation-probe.ts";
import { formatCount, formatFixed } from "../report/format.ts";
import { renderTable } from "../report/table.ts";
import type { PipelineResults, PipelineRun, ProcessDrain, SideResult } from "./pipeline-bench.ts";
import {
  CONSUMER_RSS_GOAL_MIB,
  consumerRssStatus,
  judgeShare,
  measured,
  SHARE_OF_BARE_SDK_GOAL,
} from "./pipeline-goals.ts";

const cell = (side: SideResult, pick: (drain: ProcessDrain) => string): string =>
  measured(side) ? pick(side) : "failed";

const right = { align: "right" as const };

/** A run's two drains, named. */
const sides = (run: PipelineRun) =>
  [
    ["bare SDK", run.bareSdk],
    ["pipeline", run.pipeline],
  ] as const;

/** Per process count: the rates, their ratio and the consumers' memory, each against its goal. */
function verdictTable(runs: readonly PipelineRun[]): string {
  const rows = runs.map((run) => {
    const judged = judgeShare(run);
    return [
      String(run.processes),
      cell(run.pipeline, (drain) => formatCount(drain.perSecond)),
      cell(run.bareSdk, (drain) => formatCount(drain.perSecond)),
      judged === undefined ? "-" : formatFixed(judged.share, 2),
      judged?.status ?? "FAIL",
      cell(run.pipeline, (drain) => formatCount(drain.peakRssMiB)),
      consumerRssStatus(run),
    ];
  });
  return renderTable(
    [
      { heading: "Processes", ...right },
      { heading: "Pipeline widgets/s", ...right },
      { heading: "Bare SDK msg/s", ...right },
      { heading: `Ratio (>= ${formatFixed(SHARE_OF_BARE_SDK_GOAL, 2)})`, ...right },
      { heading: "Result" },
      { heading: `Consumer peak RSS MiB (< ${CONSUMER_RSS_GOAL_MIB})`, ...right },
      { heading: "Result" },
    ],
    rows,
  );
}

/** Where the CPU went in each drain (which side was the bottleneck), and how often it was drained. */
function detailTable(runs: readonly PipelineRun[]): string {
  const rows = runs.flatMap((run) =>
    sides(run).map(([name, side]) => [
      String(run.processes),
      name,
      cell(side, (drain) => formatCount(drain.peakRssMiB)),
      cell(side, (drain) => formatFixed(drain.brokerCores, 2)),
      cell(side, (drain) => formatFixed(drain.processCores, 2)),
      cell(side, (drain) => formatFixed(drain.otherCores, 2)),
      cell(side, (drain) => String(drain.attempts)),
    ]),
  );
  return renderTable(
    [
      { heading: "Processes", ...right },
      { heading: "Side" },
      { heading: "peak RSS MiB", ...right },
      { heading: "broker cores", ...right },
      { heading: "process cores", ...right },
      { heading: "other cores", ...right },
      { heading: "attempts", ...right },
    ],
    rows,
  );
}

function notes(results: PipelineResults): string[] {
  const { runs, folder, fileCreationMicros } = results;
  const lines: string[] = [
    `creating a file in ${folder} took ${formatFixed(fileCreationMicros, 0)} µs before the drains` +
      (fileCreationMicros > SLOW_FILE_CREATION_MICROS
        ? ` (over ${SLOW_FILE_CREATION_MICROS} µs: many files were deleted there in the last minutes, ` +
          `and new widgets' files are slow to create; see docs/benchmarks.md, or try --pipeline-dir)`
        : ""),
  ];
  const noisy: string[] = [];
  for (const run of runs) {
    for (const [name, side] of sides(run)) {
      if (!measured(side))
        lines.push(`${run.processes} ${name} failed: ${side.error.split("\n")[0]}`);
      else if (side.otherCores > NOISE_CORES) noisy.push(`${run.processes} ${name}`);
    }
  }
  if (noisy.length > 0) {
    lines.push(
      `other work on the machine used > ${NOISE_CORES} cores during: ${noisy.join(", ")}; those rates are low.`,
    );
  }
  return lines.map((line) => `- ${line}`);
}

/**
 * The pipeline section: N consumers against N bare SDK processes with the
 * verdicts, then the CPU and memory of every drain, then what went wrong.
 */
export function renderPipelineReport(results: PipelineResults): string {
  return [
    `Widget pipeline: N \`mailroom consumer\` processes into a folder store against N bare AWS SDK processes`,
    `(receive 10 + delete batch, no widget work), ${formatCount(results.requests)} requests queued on a fresh durable broker for each`,
    verdictTable(results.runs),
    "",
    `CPU from the first message gone until the queue was empty (processes: the consumers or SDK processes together)`,
    detailTable(results.runs),
    ...notes(results),
  ].join("\n");
}
