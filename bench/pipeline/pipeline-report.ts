import { formatCount, formatFixed } from "../report/format.ts";
import { renderTable } from "../report/table.ts";
import type { PipelineResults, ProcessDrain, SideResult } from "./pipeline-bench.ts";
import {
  CONSUMER_RSS_GOAL_MIB,
  consumerRssStatus,
  judgeShare,
  measured,
  SHARE_OF_BARE_SDK_GOAL,
} from "./pipeline-goals.ts";

const cell = (side: SideResult, pick: (drain: ProcessDrain) => string): string =>
  measured(side) ? pick(side) : "failed";

/**
 * The pipeline table: for each process count, the consumers' widgets/s
 * beside the bare SDK processes' msg/s and their ratio, and the consumers'
 * peak RSS, each against its goal; then why a side failed, if one did.
 */
export function renderPipelineReport(results: PipelineResults): string {
  const rows = results.runs.map((run) => {
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
  const right = { align: "right" as const };
  const table = renderTable(
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
  const failures = results.runs.flatMap((run) =>
    (
      [
        ["bare SDK", run.bareSdk],
        ["pipeline", run.pipeline],
      ] as const
    ).flatMap(([name, side]) =>
      measured(side) ? [] : [`- ${run.processes} ${name}: ${side.error.split("\n")[0]}`],
    ),
  );
  return [
    `Widget pipeline: N \`mailroom consumer\` processes into a folder store against N bare AWS SDK processes`,
    `(receive 10 + delete batch, no widget work), ${formatCount(results.requests)} requests queued on a fresh durable broker for each`,
    table,
    ...failures,
  ].join("\n");
}
