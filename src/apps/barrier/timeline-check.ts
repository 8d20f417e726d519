import type { TimelineEntry } from "./timeline.ts";

/** The barrier's promise for one round, checked on the participants' own timestamps. */
export interface RoundCheck {
  readonly round: number;
  /** The latest "phase 1 ended" of the round. */
  readonly lastPhase1End?: TimelineEntry;
  /** The earliest "phase 2 began" of the round. */
  readonly firstPhase2Start?: TimelineEntry;
  /** Why the round fails the check; undefined when it passes. */
  readonly problem?: string;
}

/**
 * Checks every round: each participant reported its phase 1 end and phase 2
 * start, and no phase 2 began before the last phase 1 of the round ended.
 * Timestamps of one machine's clock are compared, so this holds for processes
 * on one host (as in the demo); equal milliseconds pass, since a release
 * always follows the last check-in.
 */
export function checkTimeline(
  entries: readonly TimelineEntry[],
  participants: readonly string[],
  rounds: number,
): RoundCheck[] {
  const checks: RoundCheck[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const ends = entries.filter((e) => e.round === round && e.step === "phase 1 ended");
    const starts = entries.filter((e) => e.round === round && e.step === "phase 2 began");
    const lastPhase1End = ends.reduce<TimelineEntry | undefined>(
      (last, e) => (last === undefined || e.at > last.at ? e : last),
      undefined,
    );
    const firstPhase2Start = starts.reduce<TimelineEntry | undefined>(
      (first, e) => (first === undefined || e.at < first.at ? e : first),
      undefined,
    );
    const problem =
      missing("phase 1 end", ends, participants) ??
      missing("phase 2 start", starts, participants) ??
      (firstPhase2Start!.at < lastPhase1End!.at
        ? `${firstPhase2Start!.participant}'s phase 2 began before ${lastPhase1End!.participant}'s phase 1 ended`
        : undefined);
    checks.push({
      round,
      ...(lastPhase1End ? { lastPhase1End } : {}),
      ...(firstPhase2Start ? { firstPhase2Start } : {}),
      ...(problem ? { problem } : {}),
    });
  }
  return checks;
}

function missing(
  what: string,
  entries: readonly TimelineEntry[],
  participants: readonly string[],
): string | undefined {
  const reported = new Set(entries.map((e) => e.participant));
  const absent = participants.filter((p) => !reported.has(p));
  return absent.length === 0 ? undefined : `no ${what} reported by ${absent.join(", ")}`;
}
