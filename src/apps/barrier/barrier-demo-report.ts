import type { DemoExit, DemoOutcome } from "./barrier-demo.ts";
import { allRounds } from "./coordinator-events.ts";
import type { TimelineEntry } from "./timeline.ts";
import type { RoundCheck } from "./timeline-check.ts";

/** The steps the report shows: the two the barrier orders. */
const SHOWN_STEPS = new Set(["phase 1 ended", "phase 2 began"]);

/**
 * The demo's report, as lines: the timeline round by round (times in ms since
 * the demo started), one check line per round, and how any failed process
 * ended. Check lines read
 * `round 2: last phase 1 ended at +1234 ms (p3), first phase 2 began at +1260 ms (p1): OK`.
 */
export function formatDemoReport(outcome: DemoOutcome): string[] {
  const at = (entry: TimelineEntry) => `+${entry.at - outcome.startedAt} ms`;
  const lines = ["Timeline (ms since the demo started):"];
  for (const check of outcome.checks) {
    const shown = outcome.entries.filter(
      (entry) => entry.round === check.round && SHOWN_STEPS.has(entry.step),
    );
    // A round nobody reached has no rows, and no blank line before them either.
    if (shown.length > 0) lines.push("");
    for (const entry of shown) {
      lines.push(
        `  ${at(entry).padStart(10)}  round ${entry.round}  ${entry.participant.padEnd(4)}  ${entry.step}`,
      );
    }
  }
  lines.push("", "Checks:");
  for (const check of outcome.checks) lines.push(describeCheck(check, at));
  const failed = outcome.exits.filter((exit) => exit.code !== 0);
  if (failed.length > 0) {
    lines.push("", "Failed processes:");
    for (const exit of failed) lines.push(`  ${describeExit(exit)}`);
  }
  return lines;
}

/** The demo's last line when every round passed its check. */
export function formatDemoSuccess(rounds: number): string {
  return `${allRounds(rounds)} OK: no phase 2 began before the last phase 1 of its round ended`;
}

function describeCheck(check: RoundCheck, at: (entry: TimelineEntry) => string): string {
  const last = check.lastPhase1End;
  const first = check.firstPhase2Start;
  const times =
    last && first
      ? `last phase 1 ended at ${at(last)} (${last.participant}), first phase 2 began at ${at(first)} (${first.participant})`
      : "incomplete timeline";
  return `round ${check.round}: ${times}: ${check.problem === undefined ? "OK" : `FAILED (${check.problem})`}`;
}

function describeExit(exit: DemoExit): string {
  const how =
    exit.signal !== null
      ? `killed by ${exit.signal}`
      : exit.code === null
        ? "did not start"
        : `exited with code ${exit.code}`;
  return `${exit.name}: ${how}${exit.error ? `: ${exit.error}` : ""}`;
}
