import { counted } from "../counted.ts";
import type { TimelineEntry } from "./timeline.ts";
import { formatTimelineLine } from "./timeline.ts";

/** What a participant reports as it runs (the CLI prints them; the demo parses the timeline). */
export type ParticipantEvent =
  | {
      readonly kind: "joined";
      readonly participant: string;
      readonly session: string;
      readonly participants: number;
      readonly rounds: number;
    }
  | { readonly kind: "timeline"; readonly entry: TimelineEntry }
  /** A message on the release queue that was not for this process, round or session. */
  | { readonly kind: "ignored"; readonly participant: string; readonly why: string }
  | { readonly kind: "finished"; readonly participant: string; readonly rounds: number };

/** One line for a person (timeline entries in the format the demo parses). */
export function describeParticipantEvent(event: ParticipantEvent): string {
  switch (event.kind) {
    case "joined":
      return `${event.participant} joined session ${event.session}: ${counted(event.participants, "participant")}, ${counted(event.rounds, "round")}`;
    case "timeline":
      return formatTimelineLine(event.entry);
    case "ignored":
      return `${event.participant} ignored a message: ${event.why}`;
    case "finished":
      return `${event.participant} finished ${counted(event.rounds, "round")}`;
  }
}
