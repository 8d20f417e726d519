import type { ScenarioRun } from "../runner.ts";
import type { PipelineResults } from "./pipeline-bench.ts";

/** The pipeline's widgets/s goal: with 4 consumers, at least half the broker's own drain rate. */
const GOAL_SHARE_OF_DRAIN = 0.5;
/** A consumer's memory goal, whatever the queue depth. */
const CONSUMER_RSS_GOAL_MIB = 150;

/**
 * The pipeline table: widgets/s per consumer count beside the broker's
 * receive+delete drain rate measured earlier in the same run, the AWS SDK's
 * own receive+delete rate, and the verdicts.
 */
export function renderPipelineReport(
  { runs: pipeline, sdkOnlyMessagesPerSecond }: PipelineResults,
  runs: readonly ScenarioRun[],
): string {
  const drain =
    runs.find((run) => run.target === "mailroom" && run.scenario === "drain-deep") ??
    runs.find((run) => run.target === "mailroom" && run.scenario === "drain-shallow");
  const drainRate = drain?.measurement?.messagesPerSecond;
  const share = (rate: number): string =>
    drainRate ? ` (${Math.round((rate / drainRate) * 100)}% of the drain rate)` : "";
  const lines = ["", "Widget pipeline (local folder store, consumers as processes)"];
  for (const run of pipeline) {
    lines.push(
      `  ${run.consumers} consumer${run.consumers === 1 ? " " : "s"}: ${Math.round(run.widgetsPerSecond).toLocaleString("en-US")} widgets/s${share(run.widgetsPerSecond)}, peak consumer RSS ${run.peakConsumerRssMiB.toFixed(0)} MiB, queue depth ${run.queueDepth.toLocaleString("en-US")}`,
    );
  }
  lines.push(
    drainRate
      ? `  broker drain (receive 10 + delete batch, ${drain!.scenario}), same run: ${Math.round(drainRate).toLocaleString("en-US")} msg/s`
      : "  broker drain rate: not measured in this run (add --only drain,pipeline)",
  );
  lines.push(
    `  the AWS SDK alone (4 loops of receive 10 + delete batch in one process, no widget work): ${Math.round(sdkOnlyMessagesPerSecond).toLocaleString("en-US")} msg/s${share(sdkOnlyMessagesPerSecond)}`,
  );
  const four = pipeline.find((run) => run.consumers === 4);
  if (four && drainRate) {
    const goal = drainRate * GOAL_SHARE_OF_DRAIN;
    lines.push(
      `  4 consumers >= 50% of the drain rate (${Math.round(goal).toLocaleString("en-US")} widgets/s): ${four.widgetsPerSecond >= goal ? "PASS" : "FAIL"}`,
    );
  }
  const peak = Math.max(...pipeline.map((run) => run.peakConsumerRssMiB));
  lines.push(
    `  consumer RSS < ${CONSUMER_RSS_GOAL_MIB} MiB: ${peak < CONSUMER_RSS_GOAL_MIB ? "PASS" : "FAIL"} (peak ${peak.toFixed(0)} MiB)`,
  );
  return `${lines.join("\n")}\n`;
}
