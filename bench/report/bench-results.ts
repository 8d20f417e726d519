import type { Verdict } from "../goals.ts";
import type { MachineInfo } from "../machine.ts";
import type { BenchOptions } from "../options.ts";
import type { ConsoleResults } from "../console/console-bench.ts";
import type { PipelineResults } from "../pipeline/pipeline-bench.ts";
import type { ScenarioRun } from "../runner.ts";
import type { Measurement } from "../scenarios/scenario.ts";
import type { TargetName } from "../targets/target.ts";

/** Everything one run measured: the JSON file's shape and the report's input. */
export interface BenchResults {
  startedAt: string;
  command: string;
  machine: MachineInfo;
  options: BenchOptions;
  ceiling: {
    start?: Measurement;
    end?: Measurement;
    /** The req/s targets are judged against: the higher of the two, so a slow moment cannot lower the bar. */
    requestsPerSecond: number;
  };
  targets: { name: TargetName; label: string; durable: boolean }[];
  runs: ScenarioRun[];
  /** The widget pipeline against the bare SDK; absent when the run left it out. */
  pipeline?: PipelineResults;
  /** The console's Queues page with 1,000 queues; absent when the run left it out. */
  console?: ConsoleResults;
  verdicts: Partial<Record<TargetName, Verdict[]>>;
}
