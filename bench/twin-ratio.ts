import type { ScenarioRun } from "./runner.ts";
import type { Measurement } from "./scenarios/scenario.ts";

/** A variant's number against its twin's, and how it was taken. */
export interface TwinRatio {
  ratio: number;
  /** Rounds the ratio is the median of; 0 when it is the ratio of the two reported runs. */
  pairedRounds: number;
}

/**
 * `metric` of a variant (Query, signed) against its twin's, both of one
 * target. With `--repeat`, the median of the round-by-round ratios: the two
 * run back to back in every round, so each ratio sees the host in one mood,
 * while the two medians may come from different spells of a host whose speed
 * drifts by tens of percent. Without rounds, the ratio of the reported runs.
 */
export function twinRatio(
  variant: ScenarioRun,
  twin: ScenarioRun,
  metric: (m: Measurement) => number,
): TwinRatio {
  const ratios: number[] = [];
  if (variant.rounds !== undefined && variant.rounds.length === twin.rounds?.length) {
    variant.rounds.forEach((m, round) => {
      const other = twin.rounds![round];
      if (m !== null && other !== null && other !== undefined) {
        const ratio = metric(m) / metric(other);
        if (Number.isFinite(ratio)) ratios.push(ratio);
      }
    });
  }
  if (ratios.length > 0) return { ratio: median(ratios), pairedRounds: ratios.length };
  if (variant.measurement === undefined || twin.measurement === undefined) {
    return { ratio: Number.NaN, pairedRounds: 0 };
  }
  return { ratio: metric(variant.measurement) / metric(twin.measurement), pairedRounds: 0 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
