import { counted } from "../counted.ts";
import { formatSeconds } from "./deadline.ts";

/** What the coordinator reports as it runs (the CLI prints them; tests read them). */
export type CoordinatorEvent =
  | {
      readonly kind: "started";
      readonly barrier: string;
      readonly session: string;
      readonly participants: number;
      readonly rounds: number;
      readonly timeoutMs: number;
      readonly startTimeoutMs: number;
    }
  | { readonly kind: "joined"; readonly participant: string }
  | {
      readonly kind: "checked-in";
      readonly round: number;
      readonly participant: string;
      readonly count: number;
      readonly of: number;
    }
  | { readonly kind: "duplicate"; readonly round: number; readonly participant: string }
  | {
      readonly kind: "stale";
      readonly round: number;
      readonly participant: string;
      readonly why: string;
    }
  | {
      readonly kind: "rejected";
      readonly round: number;
      readonly participant: string;
      readonly reason: string;
    }
  | { readonly kind: "ignored"; readonly why: string }
  | { readonly kind: "released"; readonly round: number; readonly participants: readonly string[] }
  | {
      readonly kind: "aborting";
      readonly round: number;
      readonly reason: string;
      readonly participants: readonly string[];
    }
  | { readonly kind: "finished"; readonly rounds: number };

/** One line for a person watching the coordinator. */
export function describeCoordinatorEvent(event: CoordinatorEvent): string {
  switch (event.kind) {
    case "started":
      return `barrier "${event.barrier}": waiting for ${counted(event.participants, "participant")}, ${counted(event.rounds, "round")}, timeout ${formatSeconds(event.timeoutMs)} per round${event.startTimeoutMs === event.timeoutMs ? "" : ` (${formatSeconds(event.startTimeoutMs)} for round 1)`} (session ${event.session})`;
    case "joined":
      return `${event.participant} joined`;
    case "checked-in":
      return `round ${event.round}: ${event.participant} checked in (${event.count} of ${event.of})`;
    case "duplicate":
      return `round ${event.round}: duplicate check-in from ${event.participant} ignored`;
    case "stale":
      return `round ${event.round}: stale check-in from ${event.participant} ignored (${event.why})`;
    case "rejected":
      return `round ${event.round}: told ${event.participant} to abort: ${event.reason}`;
    case "ignored":
      return `ignored a message: ${event.why}`;
    case "released": {
      const { participants } = event;
      const everyone = participants.length === 1 ? participants[0] : `all ${participants.length}`;
      return `round ${event.round}: ${everyone} checked in; released ${participants.join(", ")}`;
    }
    case "aborting":
      return event.participants.length === 0
        ? `round ${event.round}: ${event.reason}; no participant had joined, so none to tell`
        : `round ${event.round}: ${event.reason}; telling ${event.participants.join(", ")} to abort`;
    case "finished":
      return `${allRounds(event.rounds)} released`;
  }
}

/** A barrier's rounds as a whole: `all 3 rounds`, or `round 1` when it has one. */
export function allRounds(rounds: number): string {
  return rounds === 1 ? "round 1" : `all ${rounds} rounds`;
}
