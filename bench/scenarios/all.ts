import { batchSend } from "./batch-send.ts";
import { drainDeep, drainShallow } from "./drain.ts";
import { endToEnd } from "./end-to-end.ts";
import { fifoSend } from "./fifo-send.ts";
import { million } from "./million.ts";
import { queryBatch, queryDrain, querySend } from "./query.ts";
import type { Scenario } from "./scenario.ts";
import { sigv4Send, sigv4UncheckedSend } from "./sigv4-send.ts";
import { singleSend } from "./single-send.ts";

/**
 * Every scenario, in the order they run and are reported. Each Query and
 * signed variant runs right after its JSON twin, so the two see the host in
 * as nearly the same mood as a sequential run allows (its speed drifts by
 * tens of percent over minutes; see docs/benchmarks.md).
 */
export const ALL_SCENARIOS: readonly Scenario[] = [
  singleSend,
  querySend,
  sigv4UncheckedSend,
  sigv4Send,
  batchSend,
  queryBatch,
  drainShallow,
  queryDrain,
  drainDeep,
  fifoSend,
  endToEnd,
  million,
];

/**
 * `--only drain` selects drain-shallow and drain-deep, `--only query` the
 * three Query scenarios; `--skip-million` wins over `--only million`.
 */
export function selectScenarios(only: readonly string[], skipMillion: boolean): Scenario[] {
  // The ceiling always runs; naming it alone measures just the ceiling (e.g. to compare --client).
  const unknown = only.filter(
    (name) =>
      name !== "ceiling" &&
      name !== "pipeline" &&
      name !== "console" &&
      !ALL_SCENARIOS.some((s) => s.name === name || s.name.startsWith(`${name}-`)),
  );
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(", ")}`);
  return ALL_SCENARIOS.filter(
    (s) =>
      (only.length === 0 ||
        only.some((name) => s.name === name || s.name.startsWith(`${name}-`))) &&
      !(skipMillion && s.name === "million"),
  );
}
