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
  /** The scenarios it is reported against (its JSON, unsigned twin first), if any. */
  twins?: readonly string[];
  measurement?: Measurement;
  error?: string;
  /** Why the scenario does not apply to this target (e.g. fauxqs and the Query protocol). */
  skipped?: string;
  /** Times measured: more than 1 when other work on the machine disturbed it (see quiet.ts). */
  attempts?: number;
  /** With `--repeat`: every round's measurement, in round order (null: the round failed). */
  rounds?: (Measurement | null)[];
}

/**
 * Round by round: a round runs every scenario, each against every target in
 * turn on a fresh server, so the targets see the same machine conditions as
 * closely as a sequential run allows, and so does a variant (Query, signed)
 * with its twins, which run just before it. With `--repeat n`, n rounds,
 * the targets' order reversed every round (A B, B A, A B...), and each
 * target's run with the median msg/s is the one reported, with every
 * round's measurement beside it: the host's speed drifts by more than the
 * differences measured, and this way a slow spell falls on both sides of a
 * comparison, and a scenario's rounds on different spells. A failing
 * scenario is recorded and the run goes on.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  targets: readonly Target[],
  generator: LoadGenerator,
  options: BenchOptions,
): Promise<ScenarioRun[]> {
  const appliesTo = (scenario: Scenario, target: Target): boolean =>
    scenario.onlyFor === undefined || scenario.onlyFor.targets.includes(target.name);
  const attempts = new Map<string, Attempt[]>(); // by attemptsKey(), in round order
  const attemptsKey = (scenario: Scenario, target: Target): string =>
    `${scenario.name} ${target.name}`;
  for (let round = 0; round < options.repeat; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    const roundLabel = options.repeat > 1 ? ` (round ${round + 1} of ${options.repeat})` : "";
    for (const scenario of scenarios) {
      for (const target of order.filter((t) => appliesTo(scenario, t))) {
        const log = (line: string): void =>
          progress(`${target.name} ${scenario.name}${roundLabel}: ${line}`);
        const key = attemptsKey(scenario, target);
        if (!attempts.has(key)) attempts.set(key, []);
        attempts.get(key)!.push(await attempt(scenario, target, generator, options, log));
      }
    }
  }
  return scenarios.flatMap((scenario) =>
    targets.map((target): ScenarioRun => {
      const run: ScenarioRun = {
        scenario: scenario.name,
        title: scenario.title,
        target: target.name,
        ...(scenario.twins === undefined ? {} : { twins: scenario.twins }),
      };
      if (!appliesTo(scenario, target)) return { ...run, skipped: scenario.onlyFor!.reason };
      const rounds = attempts.get(attemptsKey(scenario, target))!;
      return {
        ...run,
        ...medianAttempt(rounds),
        ...(rounds.length > 1 ? { rounds: rounds.map((a) => a.measurement ?? null) } : {}),
      };
    }),
  );
}

/** One measurement of a scenario against a target, or why it failed. */
type Attempt = Pick<ScenarioRun, "measurement" | "attempts" | "error">;

async function attempt(
  scenario: Scenario,
  target: Target,
  generator: LoadGenerator,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Attempt> {
  try {
    const quiet = await measureQuietly(options.quietWaitMs, options.retries, log, () =>
      measureOnce(scenario, target, generator, options, log),
    );
    return { measurement: quiet.measurement, attempts: quiet.attempts };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`FAILED: ${message.split("\n")[0]}`);
    return { error: message };
  }
}

/**
 * The attempt with the median rate (the lower middle of an even count);
 * with more than one, its notes list every round's rate. Failed rounds
 * count only when no round succeeded.
 */
function medianAttempt(attempts: readonly Attempt[]): Attempt {
  const rate = (a: Attempt) =>
    a.measurement?.messagesPerSecond ?? a.measurement?.requestsPerSecond ?? 0;
  const measured = attempts.filter((a) => a.measurement !== undefined);
  if (measured.length === 0) return attempts[attempts.length - 1] ?? {};
  const sorted = [...measured].sort((a, b) => rate(a) - rate(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  if (attempts.length > 1) {
    const rates = measured.map((a) => Math.round(rate(a)).toLocaleString("en-US")).join(", ");
    const failed = attempts.length - measured.length;
    median.measurement!.notes.push(
      `median of ${attempts.length} rounds (msg/s in round order: ${rates}` +
        `${failed > 0 ? `; ${failed} failed` : ""})`,
    );
  }
  return median;
}

/**
 * A fresh server (with `--auth sigv4` when the scenario's signatures are
 * checked), the scenario, the server's peak RSS, the server stopped and its
 * data removed.
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
    scenario.signed === "checked" ? { auth: BENCH_CREDENTIALS } : {},
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
