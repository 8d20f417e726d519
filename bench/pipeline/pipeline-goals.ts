import type { Status, Verdict } from "../goals.ts";
import { formatCount, formatFixed } from "../report/format.ts";
import { counted } from "../../src/apps/counted.ts";
import { PIPELINE_PROCESS_COUNTS } from "./pipeline-bench.ts";
import type { PipelineResults, PipelineRun, ProcessDrain, SideResult } from "./pipeline-bench.ts";

/** Issue 11: N consumers reach at least this share of N bare SDK processes' rate. */
export const SHARE_OF_BARE_SDK_GOAL = 0.6;
/** A consumer's peak resident memory, whatever the queue depth. */
export const CONSUMER_RSS_GOAL_MIB = 150;

export function measured(side: SideResult): side is ProcessDrain {
  return !("error" in side);
}

/** The rate goal of one process count, judged. */
export interface ShareJudgement {
  readonly widgetsPerSecond: number;
  readonly bareSdkPerSecond: number;
  /** widgetsPerSecond / bareSdkPerSecond. */
  readonly share: number;
  readonly status: Status;
}

/** Undefined when either side failed: it measured nothing that could meet the goal. */
export function judgeShare(run: PipelineRun): ShareJudgement | undefined {
  if (!measured(run.pipeline) || !measured(run.bareSdk)) return undefined;
  const share = run.pipeline.perSecond / run.bareSdk.perSecond;
  return {
    widgetsPerSecond: run.pipeline.perSecond,
    bareSdkPerSecond: run.bareSdk.perSecond,
    share,
    status: share >= SHARE_OF_BARE_SDK_GOAL ? "PASS" : "FAIL",
  };
}

export function consumerRssStatus(run: PipelineRun): Status {
  return measured(run.pipeline) && run.pipeline.peakRssMiB < CONSUMER_RSS_GOAL_MIB
    ? "PASS"
    : "FAIL";
}

const shareGoal = (processes: number): string =>
  `pipeline, ${counted(processes, "consumer")} >= ${SHARE_OF_BARE_SDK_GOAL * 100}% of bare SDK`;
const RSS_GOAL = `pipeline: consumer RSS < ${CONSUMER_RSS_GOAL_MIB} MiB`;

/**
 * The pipeline's goals as verdicts beside the broker's: one per process
 * count for the rate, one for consumer memory over all counts ("not run"
 * when the run left the pipeline out).
 */
export function pipelineVerdicts(results: PipelineResults | undefined): Verdict[] {
  if (results === undefined) {
    const notRun = (goal: string): Verdict => ({
      goal,
      threshold: "",
      value: "-",
      status: "not run",
    });
    return [...PIPELINE_PROCESS_COUNTS.map((n) => notRun(shareGoal(n))), notRun(RSS_GOAL)];
  }
  const verdicts = results.runs.map((run): Verdict => {
    const goal = shareGoal(run.processes);
    const judged = judgeShare(run);
    if (judged === undefined) return { goal, threshold: "", value: "failed", status: "FAIL" };
    const { widgetsPerSecond, bareSdkPerSecond, share, status } = judged;
    return {
      goal,
      threshold: `>= ${formatCount(bareSdkPerSecond * SHARE_OF_BARE_SDK_GOAL)} widgets/s`,
      value: `${formatCount(widgetsPerSecond)} widgets/s (${formatFixed(share, 2)}x ${formatCount(bareSdkPerSecond)} msg/s)`,
      status,
    };
  });
  const consumers = results.runs.map((run) => run.pipeline).filter(measured);
  const peak = Math.max(...consumers.map((drain) => drain.peakRssMiB));
  const failed = results.runs.some((run) => !measured(run.pipeline));
  verdicts.push({
    goal: RSS_GOAL,
    threshold: `< ${CONSUMER_RSS_GOAL_MIB} MiB`,
    value: failed
      ? "a pipeline run failed"
      : `${formatCount(peak)} MiB (highest peak, ${formatCount(results.requests)} queued)`,
    status: results.runs.every((run) => consumerRssStatus(run) === "PASS") ? "PASS" : "FAIL",
  });
  return verdicts;
}
