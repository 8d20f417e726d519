import type { CheckInMessage } from "./barrier-messages.ts";

/** What the coordinator does with one check-in of its own session. */
export type CheckInVerdict =
  /** A participant not yet counted this round; `count` distinct ids so far. */
  | { readonly kind: "counted"; readonly count: number }
  /** The same participant again this round (SQS delivered it twice, or it was resent). */
  | { readonly kind: "duplicate" }
  /** A late copy of an earlier round's check-in from a member: nothing to do. */
  | { readonly kind: "stale" }
  /** A check-in for a round not started yet: impossible in a correct run, so ignored. */
  | { readonly kind: "ahead" }
  /** A process that cannot take part: the coordinator tells it to abort. */
  | { readonly kind: "rejected"; readonly reason: string };

/** Processes remembered per participant id from joins alone. */
const MAX_JOINS_PER_ID = 16;

/** A participant process: its id and the random incarnation of that one process. */
export interface Recipient {
  readonly participant: string;
  readonly incarnation: string;
}

/** A process that joined but cannot take part, and why. */
export interface Latecomer {
  readonly recipient: Recipient;
  readonly reason: string;
}

/**
 * The coordinator's count of one run: who the members are and who has checked
 * in this round. Distinct participant ids are counted, never messages, so
 * duplicates cannot release a round early. Membership is fixed by `expectedIds`
 * or, without it, by the first `size` ids to check in to round 1; each member
 * is bound to the process (incarnation) that checked in, so a second process
 * with the same id, or a restarted one, is refused rather than counted.
 */
export class BarrierRoster {
  /** The round being collected, from 1. */
  round = 1;
  private readonly members = new Map<string, string>();
  /** Every process that joined under each id (a leftover join of an earlier run among them). */
  private readonly joined = new Map<string, Set<string>>();
  private readonly checkedIn = new Set<string>();
  /** Processes already sent an abort for a check-in, by {@link processKey}. */
  private readonly turnedAway = new Set<string>();

  constructor(
    readonly size: number,
    readonly expectedIds?: readonly string[],
  ) {}

  /**
   * Remembers a join (not membership: a join may be a leftover of an earlier
   * run). Every process under an id is kept, up to a few: a stale join must
   * not hide the live process from an abort.
   */
  recordJoin(participant: string, incarnation: string): void {
    const incarnations = this.joined.get(participant) ?? new Set<string>();
    incarnations.add(incarnation);
    // The oldest goes first: the newest join is the one most likely alive.
    if (incarnations.size > MAX_JOINS_PER_ID) {
      incarnations.delete(incarnations.values().next().value!);
    }
    this.joined.set(participant, incarnations);
  }

  recordCheckIn(checkIn: CheckInMessage): CheckInVerdict {
    const verdict = this.judgeCheckIn(checkIn);
    if (verdict.kind === "rejected") {
      this.turnedAway.add(processKey(checkIn.participant, checkIn.incarnation));
    }
    return verdict;
  }

  /** True once `size` distinct members have checked in to the current round. */
  complete(): boolean {
    return this.checkedIn.size === this.size;
  }

  nextRound(): void {
    this.round += 1;
    this.checkedIn.clear();
  }

  checkedInCount(): number {
    return this.checkedIn.size;
  }

  /** The members, in the order they first checked in: each gets its own release. */
  memberList(): Recipient[] {
    return [...this.members].map(([participant, incarnation]) => ({ participant, incarnation }));
  }

  /** Everyone who may be waiting on a reply: the members and any process that joined. */
  abortRecipients(): Recipient[] {
    const recipients = new Map<string, Recipient>();
    const add = (participant: string, incarnation: string) =>
      recipients.set(processKey(participant, incarnation), { participant, incarnation });
    for (const [participant, incarnation] of this.members) add(participant, incarnation);
    for (const [participant, incarnations] of this.joined) {
      for (const incarnation of incarnations) add(participant, incarnation);
    }
    return [...recipients.values()];
  }

  /**
   * The processes that joined but are not members and were not already sent
   * an abort, each with the reason it cannot take part. Once the last round
   * is released the coordinator reads no more check-ins, so it tells these
   * processes now; otherwise they would wait out their timeout for a release.
   */
  latecomers(): Latecomer[] {
    const latecomers: Latecomer[] = [];
    for (const [participant, incarnations] of this.joined) {
      const member = this.members.get(participant);
      for (const incarnation of incarnations) {
        if (incarnation === member || this.turnedAway.has(processKey(participant, incarnation))) {
          continue;
        }
        const reason =
          member === undefined
            ? (this.admissionProblem(participant) ?? this.fullReason())
            : takenReason(participant);
        latecomers.push({ recipient: { participant, incarnation }, reason });
      }
    }
    return latecomers;
  }

  /**
   * Who has not checked in this round, as specific as the roster can be: by id
   * once membership is known (or `--ids` was given), else the ids that joined
   * but did not check in, then a count of processes never heard from.
   */
  describeMissing(): string {
    const missingCount = this.size - this.checkedIn.size;
    const known =
      this.expectedIds ??
      (this.round > 1
        ? [...this.members.keys()]
        : [...new Set([...this.members.keys(), ...this.joined.keys()])]);
    const named = known.filter((participant) => !this.checkedIn.has(participant));
    if (named.length >= missingCount) return named.join(", ");
    const unnamed = missingCount - named.length;
    return [...named, `${unnamed} that never joined`].join(", ");
  }

  private judgeCheckIn(checkIn: CheckInMessage): CheckInVerdict {
    const { participant, incarnation, round } = checkIn;
    const member = this.members.get(participant);
    if (round > this.round) return { kind: "ahead" };
    if (member !== undefined && member !== incarnation) {
      return { kind: "rejected", reason: takenReason(participant) };
    }
    if (round < this.round) {
      return member === undefined
        ? { kind: "rejected", reason: this.admissionProblem(participant) ?? this.fullReason() }
        : { kind: "stale" };
    }
    if (member === undefined) {
      const problem = this.admissionProblem(participant);
      if (problem !== undefined) return { kind: "rejected", reason: problem };
      this.members.set(participant, incarnation);
    }
    if (this.checkedIn.has(participant)) return { kind: "duplicate" };
    this.checkedIn.add(participant);
    return { kind: "counted", count: this.checkedIn.size };
  }

  private admissionProblem(participant: string): string | undefined {
    if (this.expectedIds !== undefined && !this.expectedIds.includes(participant)) {
      return `${participant} is not one of this barrier's participants (${this.expectedIds.join(", ")})`;
    }
    if (this.round > 1 || this.members.size >= this.size) return this.fullReason();
    return undefined;
  }

  private fullReason(): string {
    // A one-round barrier turns its latecomers away while its round is still 1.
    const past = this.round > 1 ? " and is past round 1" : "";
    return `the barrier already has its ${this.size} participants (${[...this.members.keys()].join(", ")})${past}`;
  }
}

function takenReason(participant: string): string {
  return `participant id ${participant} is already taken by another process in this run (a restarted participant cannot rejoin; restart the whole barrier)`;
}

/** One participant process, as a map key. */
function processKey(participant: string, incarnation: string): string {
  return `${participant}\n${incarnation}`;
}
