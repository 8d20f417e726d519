import type { LoadGenerator } from "./load/load-generator.ts";
import type { BenchOptions } from "./options.ts";
import { readMemory } from "./proc-stats.ts";
import { progress } from "./progress.ts";
import { measureQuietly } from "./quiet.ts";
import type { Measurement, Scenario } from "./scenarios/scenario.ts";
import { BENCH_CREDENTIALS } from "./servers/bench-credentials.ts";
import { TargetSession } from "./targets/session.ts";
import type { Target, TargetName } from "./targets/target.ts";
import { describeMeasurement } from "./report/format.ts";

/** One scenario against one target: a measurement, or why there is none. */
export interface ScenarioRun {
  scenario: string;
  title: string;
  target: TargetName;
  /** The scenario it is reported against (its JSON, unsigned twin), if any. */
  twin?: string;
  measurement?: Measurement;
  error?: string;
  /** Why the scenario does not apply to this target (e.g. fauxqs and the Query protocol). */
  skipped?: string;
  /** Times measured: more than 1 when other work on the machine disturbed it (see quiet.ts). */
  attempts?: number;
}

/**
 * Scenario by scenario, each target in turn on a fresh server, so the
 * targets see the same machine conditions as closely as a sequential run
 * allows. A failing scenario is recorded and the run goes on.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  targets: readonly Target[],
  generator: LoadGenerator,
  options: BenchOptions,
): Promise<ScenarioRun[]> {
  const runs: ScenarioRun[] = [];
  for (const scenario of scenarios) {
    for (const target of targets) {
      const log = (line: string): void => progress(`${target.name} ${scenario.name}: ${line}`);
      const run: ScenarioRun = {
        scenario: scenario.name,
        title: scenario.title,
        target: target.name,
        ...(scenario.twin === undefined ? {} : { twin: scenario.twin }),
      };
      runs.push(run);
      if (scenario.onlyFor !== undefined && !scenario.onlyFor.targets.includes(target.name)) {
        run.skipped = scenario.onlyFor.reason;
        continue;
      }
      try {
        const quiet = await measureQuietly(options.quietWaitMs, options.retries, log, () =>
          measureOnce(scenario, target, generator, options, log),
        );
        run.measurement = quiet.measurement;
        run.attempts = quiet.attempts;
      } catch (error) {
        run.error = error instanceof Error ? error.message : String(error);
        log(`FAILED: ${run.error.split("\n")[0]}`);
      }
    }
  }
  return runs;
}

/**
 * A fresh server (checking signatures if the scenario signs), the scenario,
 * the server's peak RSS, the server stopped and its data removed.
 */
async function measureOnce(
  scenario: Scenario,
  target: Target,
  generator: LoadGenerator,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Measurement> {
  const session = await TargetSession.open(
    target,
    scenario.signed === true ? { auth: BENCH_CREDENTIALS } : {},
  );
  try {
    log(
      `server up in ${(session.server.readyMs / 1000).toFixed(1)} s (pid ${session.server.pid}), running`,
    );
    const measurement = await scenario.run({ session, generator, options, log });
    measurement.peakRssMiB ??= readMemory(session.server.pid)?.peakRssMiB;
    log(describeMeasurement(measurement));
    return measurement;
  } finally {
    await session
      .close()
      .catch((error: unknown) => log(`stopping the server failed: ${String(error)}`));
  }
}
