import type { LatencySummary } from "../load/latency.ts";
import type { LoadGenerator } from "../load/load-generator.ts";
import type { WireProtocol } from "../load/sqs-wire.ts";
import type { BenchOptions } from "../options.ts";
import type { TargetSession } from "../targets/session.ts";
import type { TargetName } from "../targets/target.ts";

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

/** What sets a scenario apart from others of the same shape. */
export interface ScenarioVariant {
  /** Used by `--only` and in the JSON results. */
  name: string;
  title: string;
  /** Wire protocol of its requests. Default `json`. */
  protocol?: WireProtocol;
  /**
   * Every request signed with SigV4: `checked`, against a server started
   * with `--auth sigv4`; `unchecked`, against an open server, which reads
   * no signature (what signing costs the generator, apart from what
   * checking costs the server). Default: unsigned.
   */
  signed?: "checked" | "unchecked";
  /**
   * The scenarios of the same shape this one is reported as a ratio to,
   * each from the same run: its JSON, unsigned twin first.
   */
  twins?: readonly string[];
  /** The targets it applies to, and why not the others. Default: every target. */
  onlyFor?: { targets: readonly TargetName[]; reason: string };
}

export interface Scenario extends ScenarioVariant {
  run(context: ScenarioContext): Promise<Measurement>;
}
