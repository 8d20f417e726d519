import type { LatencySummary } from "../load/latency.ts";
import type { LoadGenerator } from "../load/load-generator.ts";
import type { BenchOptions } from "../options.ts";
import type { TargetSession } from "../targets/session.ts";

/** What a scenario gets: a fresh server of one target and the generator. */
export interface ScenarioContext {
  session: TargetSession;
  generator: LoadGenerator;
  options: BenchOptions;
  /** One progress line, prefixed with target and scenario. */
  log(line: string): void;
}

/** One measured result. Rates are per second of the measured window. */
export interface Measurement {
  requestsPerSecond?: number;
  messagesPerSecond?: number;
  latency?: LatencySummary;
  /** What the latency percentiles are of. */
  latencyOf?: "request" | "send-to-receive";
  errors: number;
  firstError?: string;
  generatorCores?: number;
  serverCores?: number;
  /** CPU used by everything else on the machine during the window: noise. */
  otherCores?: number;
  /** Peak RSS of the server process during the scenario, MiB. */
  peakRssMiB?: number;
  /** Scenario-specific numbers, e.g. `restartMs`. */
  details: Record<string, number>;
  notes: string[];
}

export interface Scenario {
  /** Used by `--only` and in the JSON results. */
  name: string;
  title: string;
  run(context: ScenarioContext): Promise<Measurement>;
}
