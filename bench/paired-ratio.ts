import { median } from "./median.ts";
import type { ScenarioRun } from "./runner.ts";
import type { Measurement } from "./scenarios/scenario.ts";

/** One run's number against another's, and how it was taken. */
export interface PairedRatio {
  ratio: number;
  /** Rounds the ratio is the median of; 0 when it is the ratio of the two reported runs. */
  pairedRounds: number;
}

/**
 * `metric` of one run against another's of the same bench run: a variant
 * (Query, signed) against its twin, or one target against another in the
 * same scenario. With `--repeat`, the median of the round-by-round ratios:
 * the two run back to back in every round, so each ratio sees the host in
 * one mood, while the two medians may come from different spells of a host
 * whose speed drifts by tens of percent. Without rounds, the ratio of the
 * reported runs.
 */
export function pairedRatio(
  run: ScenarioRun,
  base: ScenarioRun,
  metric: (m: Measurement) => number,
): PairedRatio {
  const ratios: number[] = [];
  if (run.rounds !== undefined && run.rounds.length === base.rounds?.length) {
    run.rounds.forEach((m, round) => {
      const other = base.rounds![round];
      if (m !== null && other !== null && other !== undefined) {
        const ratio = metric(m) / metric(other);
        if (Number.isFinite(ratio)) ratios.push(ratio);
      }
    });
  }
  if (ratios.length > 0) return { ratio: median(ratios), pairedRounds: ratios.length };
  if (run.measurement === undefined || base.measurement === undefined) {
    return { ratio: Number.NaN, pairedRounds: 0 };
  }
  return { ratio: metric(run.measurement) / metric(base.measurement), pairedRounds: 0 };
}
