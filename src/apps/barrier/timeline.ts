/** The moments of a round a participant reports, in the order they happen. */
export const TIMELINE_STEPS = [
  "phase 1 started",
  "phase 1 ended",
  "checked in",
  "phase 2 began",
  "phase 2 ended",
] as const;

export type TimelineStep = (typeof TIMELINE_STEPS)[number];

/** One moment of one participant's round. */
export interface TimelineEntry {
  /** Milliseconds since the Unix epoch, on the participant's clock. */
  readonly at: number;
  readonly participant: string;
  readonly round: number;
  readonly step: TimelineStep;
}

/**
 * The line a participant prints for an entry, e.g.
 * `2025-03-01T10:15:02.318Z p3 round 2: phase 1 ended`: readable, and what the
 * demo parses back from each participant's stdout.
 */
export function formatTimelineLine(entry: TimelineEntry): string {
  return `${new Date(entry.at).toISOString()} ${entry.participant} round ${entry.round}: ${entry.step}`;
}

const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) round (\d+): (.+)$/;

/** Reads a line printed by {@link formatTimelineLine}; `undefined` for any other line. */
export function parseTimelineLine(line: string): TimelineEntry | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  const [, time, participant, round, step] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!(TIMELINE_STEPS as readonly string[]).includes(step)) return undefined;
  return { at: Date.parse(time), participant, round: Number(round), step: step as TimelineStep };
}
