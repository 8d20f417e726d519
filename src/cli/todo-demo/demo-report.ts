import { pathForPeople } from "../path-for-people.ts";
import type { DemoResult } from "./run-todo-demo.ts";

/** The demo's targets (issue 13): with coalescing, on the local broker with 2 workers. */
export const TARGETS = { maxRendersPerUser: 2, p99FreshnessMs: 1000 } as const;

/** The `p`-th percentile (0-100) of `values` by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function modeLabel(result: DemoResult): string {
  return result.mode === "coalesced" ? `coalesced (${result.debounce} debounce)` : "every change";
}

/** The demo's table: one row per run, then the targets for the coalesced run. */
export function formatDemoReport(results: readonly DemoResult[]): string[] {
  const lines = [
    `${"".padEnd(32)}${"renders".padStart(8)}${"max/user".padStart(10)}${"superseded".padStart(12)}   up to date after the last change (p50 / p99 / max)`,
  ];
  for (const result of results) {
    const fresh = result.freshnessMs;
    lines.push(
      `${modeLabel(result).padEnd(32)}${String(result.renders).padStart(8)}${String(result.maxRendersPerUser).padStart(10)}${String(result.superseded).padStart(12)}   ${ms(percentile(fresh, 50))} / ${ms(percentile(fresh, 99))} / ${ms(Math.max(...fresh))}`,
    );
  }
  for (const result of results) {
    lines.push(
      `${modeLabel(result)}: ${result.changes} changes by ${result.users} users sent in ${(result.burstMs / 1000).toFixed(2)} s; ${(result.renders / result.users).toFixed(1)} renders per user; logs in ${pathForPeople(result.runDir)}`,
    );
  }
  const coalesced = results.find((result) => result.mode === "coalesced");
  if (coalesced !== undefined) {
    const p99 = percentile(coalesced.freshnessMs, 99);
    const rendersMet = coalesced.maxRendersPerUser <= TARGETS.maxRendersPerUser;
    const p99Met = p99 <= TARGETS.p99FreshnessMs;
    lines.push(
      `target: at most ${TARGETS.maxRendersPerUser} renders per user: ${rendersMet ? "met" : "MISSED"} (max ${coalesced.maxRendersPerUser})`,
      `target: every calendar up to date within ${TARGETS.p99FreshnessMs} ms (p99) of its user's last change: ${p99Met ? "met" : "MISSED"} (p99 ${ms(p99)})`,
    );
  }
  return lines;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
