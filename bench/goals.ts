import { formatCount, formatFixed, formatMs, formatRatio } from "./report/format.ts";
import type { ScenarioRun } from "./runner.ts";
import type { Measurement } from "./scenarios/scenario.ts";
import type { TargetName } from "./targets/target.ts";
import { pairedRatio } from "./paired-ratio.ts";

export type Status = "PASS" | "FAIL" | "n/a" | "not run";

export interface Verdict {
  goal: string;
  threshold: string;
  value: string;
  status: Status;
}

type Find = (scenario: string) => Measurement | undefined;
type FindRun = (scenario: string) => ScenarioRun | undefined;

interface Check {
  threshold: string;
  value: string;
  /** undefined: the goal does not apply to this target (restart of an in-memory broker). */
  pass: boolean | undefined;
}

/** A target from the issue; `scenarios` must all have a measurement for it to be judged. */
interface Goal {
  description: string;
  scenarios: string[];
  check(find: Find, ceiling: number, findRun: FindRun): Check;
}

/**
 * Deep may be this much slower than shallow and still count as "no slower":
 * run to run, the same drain varies by a few percent on this machine, and a
 * target that fails on noise half the time tells nobody anything.
 */
export const DRAIN_NOISE_MARGIN = 0.05;

function atLeastCeiling(scenario: string, description: string, factor: number, unit: string): Goal {
  return {
    description,
    scenarios: [scenario],
    check(find, ceiling) {
      // Successful messages, not requests: an error answer is no throughput.
      const rate = find(scenario)!.messagesPerSecond ?? 0;
      return {
        threshold: `>= ${formatCount(ceiling * factor)} ${unit}`,
        value: `${formatCount(rate)} ${unit} (${formatRatio(rate / ceiling)})`,
        pass: rate >= ceiling * factor,
      };
    },
  };
}

/**
 * A variant (Query, signed) against its JSON, unsigned twin from the same
 * run: messages/s at least `factor` times the twin's, round by round with
 * `--repeat` (the median of the paired rounds' ratios; see paired-ratio.ts).
 */
function atLeastTwin(scenario: string, twin: string, description: string, factor: number): Goal {
  return {
    description,
    scenarios: [scenario, twin],
    check(find, _ceiling, findRun) {
      const rate = find(scenario)!.messagesPerSecond ?? 0;
      const base = find(twin)!.messagesPerSecond ?? 0;
      const { ratio, pairedRounds } = pairedRatio(
        findRun(scenario)!,
        findRun(twin)!,
        (m) => m.messagesPerSecond ?? 0,
      );
      const how =
        pairedRounds > 0
          ? `median of ${pairedRounds} paired rounds`
          : `${formatCount(rate)} / ${formatCount(base)} msg/s`;
      return {
        threshold: `>= ${formatFixed(factor, 2)}x ${twin}`,
        value: `${formatFixed(ratio, 2)}x ${twin} (${how})`,
        pass: ratio >= factor,
      };
    },
  };
}

export const GOALS: readonly Goal[] = [
  atLeastCeiling("send", "single send >= 60% of ceiling req/s", 0.6, "msg/s"),
  atLeastCeiling("batch", "batch msg/s >= 2.5x ceiling req/s", 2.5, "msg/s"),
  atLeastCeiling("drain-deep", "100k drain msg/s >= 1.5x ceiling req/s", 1.5, "msg/s"),
  {
    description: "100k drain no slower than shallow",
    scenarios: ["drain-deep", "drain-shallow"],
    check(find) {
      const deep = find("drain-deep")!.messagesPerSecond ?? 0;
      const shallow = find("drain-shallow")!.messagesPerSecond ?? 0;
      return {
        threshold: `>= ${formatCount(shallow * (1 - DRAIN_NOISE_MARGIN))} msg/s (shallow - ${DRAIN_NOISE_MARGIN * 100}%)`,
        value: `${formatCount(deep)} msg/s (${formatFixed(deep / shallow, 2)}x shallow)`,
        pass: deep >= shallow * (1 - DRAIN_NOISE_MARGIN),
      };
    },
  },
  atLeastCeiling("fifo", "FIFO sends, 64 groups >= 50% of ceiling", 0.5, "msg/s"),
  atLeastCeiling("e2e", "end to end delivered >= 25% of ceiling", 0.25, "msg/s"),
  {
    description: "end to end p99 send->receive < 5 ms",
    scenarios: ["e2e"],
    check(find) {
      const p99 = find("e2e")!.latency?.p99Ms ?? Number.POSITIVE_INFINITY;
      return { threshold: "< 5 ms", value: `${formatMs(p99)} ms`, pass: p99 < 5 };
    },
  },
  atLeastTwin("query-send", "send", "Query single send >= 85% of JSON", 0.85),
  atLeastTwin("query-batch", "batch", "Query batch >= 80% of JSON", 0.8),
  atLeastTwin("query-drain", "drain-shallow", "Query drain >= 80% of JSON", 0.8),
  atLeastTwin("sigv4-send", "send", "SigV4 single send >= 90% of unsigned", 0.9),
  // The same 90%, of the broker's own part: checking, against signed requests
  // it does not check. On a machine whose client shares the broker's cores,
  // the target above also charges the broker for the client's signing.
  atLeastTwin(
    "sigv4-send",
    "sigv4-unchecked-send",
    "SigV4 checking >= 90% of signed, unchecked",
    0.9,
  ),
  {
    description: "1M queued: broker RSS < 512 MiB",
    scenarios: ["million"],
    check(find) {
      const d = find("million")!.details;
      // Both the filled broker and the restarted one hold the million.
      const rss = Math.max(d.rssMiB ?? Number.POSITIVE_INFINITY, d.restartRssMiB ?? 0);
      return { threshold: "< 512 MiB", value: `${formatCount(rss)} MiB`, pass: rss < 512 };
    },
  },
  {
    description: "1M queued: restart < 10 s",
    scenarios: ["million"],
    check(find) {
      const ms = find("million")!.details.restartMs;
      if (ms === undefined)
        return { threshold: "< 10 s", value: "in-memory: nothing to restart", pass: undefined };
      return { threshold: "< 10 s", value: `${formatFixed(ms / 1000, 2)} s`, pass: ms < 10_000 };
    },
  },
];

/** Judges one target's runs against every goal; errors during a scenario fail its goals. */
export function evaluateGoals(
  runs: readonly ScenarioRun[],
  target: TargetName,
  ceiling: number,
): Verdict[] {
  const runOf = (scenario: string): ScenarioRun | undefined =>
    runs.find((run) => run.target === target && run.scenario === scenario);
  const find: Find = (scenario) => runOf(scenario)?.measurement;
  return GOALS.map((goal) => {
    const skipped = goal.scenarios.map((scenario) => runOf(scenario)?.skipped).find(Boolean);
    if (skipped !== undefined) {
      return { goal: goal.description, threshold: "", value: skipped, status: "n/a" };
    }
    if (goal.scenarios.some((scenario) => runOf(scenario)?.error !== undefined)) {
      return { goal: goal.description, threshold: "", value: "scenario failed", status: "FAIL" };
    }
    const measurements = goal.scenarios.map(find);
    if (measurements.some((m) => m === undefined)) {
      return { goal: goal.description, threshold: "", value: "-", status: "not run" };
    }
    const check = goal.check(find, ceiling, runOf);
    const errors = measurements.reduce((sum, m) => sum + m!.errors, 0);
    const value = errors > 0 ? `${check.value}, ${formatCount(errors)} errors` : check.value;
    return {
      goal: goal.description,
      threshold: check.threshold,
      value,
      status: check.pass === undefined ? "n/a" : check.pass && errors === 0 ? "PASS" : "FAIL",
    };
  });
}

/**
 * The issue's "durable Mailroom at least level with in-memory fauxqs in
 * every scenario": with `--compare`, one verdict per scenario both targets
 * ran, `target`'s msg/s against `peer`'s (the median of the paired rounds'
 * ratios with `--repeat`; see paired-ratio.ts).
 */
export function peerVerdicts(
  runs: readonly ScenarioRun[],
  target: TargetName,
  peer: TargetName,
): Verdict[] {
  const runOf = (name: TargetName, scenario: string): ScenarioRun | undefined =>
    runs.find((run) => run.target === name && run.scenario === scenario);
  const scenarios = [...new Set(runs.map((run) => run.scenario))];
  return scenarios.flatMap((scenario): Verdict[] => {
    const mine = runOf(target, scenario);
    const theirs = runOf(peer, scenario);
    if (mine === undefined || theirs === undefined) return [];
    if (mine.skipped !== undefined || theirs.skipped !== undefined) return [];
    const goal = `${scenario} level with ${peer}`;
    const threshold = `>= 1.00x ${peer}`;
    if (mine.measurement === undefined || theirs.measurement === undefined) {
      return [{ goal, threshold, value: "scenario failed", status: "FAIL" }];
    }
    const { ratio, pairedRounds } = pairedRatio(mine, theirs, (m) => m.messagesPerSecond ?? 0);
    const how = pairedRounds > 0 ? ` (median of ${pairedRounds} paired rounds)` : "";
    return [
      {
        goal,
        threshold,
        value: `${formatFixed(ratio, 2)}x ${peer}${how}`,
        status: ratio >= 1 ? "PASS" : "FAIL",
      },
    ];
  });
}
