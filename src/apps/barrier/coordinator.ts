import { randomBytes } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import type { BarrierMessage, CheckInMessage } from "./barrier-messages.ts";
import { barrierQueueNames, isParticipantId } from "./barrier-names.ts";
import type { BarrierQueueNames } from "./barrier-names.ts";
import { BarrierQueues } from "./barrier-queues.ts";
import type { ReceivedMessage } from "./barrier-queues.ts";
import { BarrierRoster } from "./barrier-roster.ts";
import type { Recipient } from "./barrier-roster.ts";
import type { CoordinatorEvent } from "./coordinator-events.ts";
import { Deadline, formatSeconds } from "./deadline.ts";
import { isLeftoverJoin } from "./leftover-join.ts";

export interface CoordinatorOptions {
  readonly sqs: SQSClient;
  /** Names the queues (`<barrier>-checkin`, `<barrier>-release-<id>`). */
  readonly barrier: string;
  /** How many distinct participants make a round complete. */
  readonly participants: number;
  /** The participants' ids, when known in advance; otherwise the first ones to check in. */
  readonly expectedIds?: readonly string[];
  /** Rounds to run before finishing. */
  readonly rounds: number;
  /** Longest wait for a round after round 1 to complete, from the previous release. */
  readonly timeoutMs: number;
  /**
   * Longest wait for round 1, from the coordinator's start: it also waits for
   * every participant process to start. Default: `timeoutMs`.
   */
  readonly startTimeoutMs?: number;
  /** SIGINT/SIGTERM: stops the wait and tells the participants to abort. */
  readonly stop?: AbortSignal;
  readonly onEvent?: (event: CoordinatorEvent) => void;
}

export interface CoordinatorResult {
  readonly session: string;
  readonly participants: readonly string[];
}

/**
 * Runs the coordinator: collects each round's check-ins from
 * `<barrier>-checkin`, counting distinct participants of its own session and
 * round, then releases each member through its own release queue; after the
 * last release it tells every process that joined but is not a member to
 * abort (reading joins for up to 1 s more). When a round times out (or the
 * coordinator is stopped) it tells every participant it knows to abort, then
 * throws an AppError naming the round and who is missing.
 */
export async function runCoordinator(options: CoordinatorOptions): Promise<CoordinatorResult> {
  const names = barrierQueueNames(options.barrier);
  const queues = new BarrierQueues(options.sqs, options.stop ?? new AbortController().signal);
  const session = randomBytes(6).toString("hex");
  const roster = new BarrierRoster(options.participants, options.expectedIds);
  const emit = options.onEvent ?? (() => {});
  const coordinator = new Coordinator(names, queues, session, roster, options, emit);

  await queues.url(names.checkIn);
  emit({
    kind: "started",
    barrier: options.barrier,
    session,
    participants: options.participants,
    rounds: options.rounds,
    timeoutMs: options.timeoutMs,
    startTimeoutMs: options.startTimeoutMs ?? options.timeoutMs,
  });
  try {
    for (;;) {
      await coordinator.collectRound();
      await coordinator.release();
      if (roster.round === options.rounds) break;
      roster.nextRound();
    }
  } catch (error) {
    await coordinator.abortAll(error instanceof Error ? error.message : String(error));
    throw new AppError(
      `barrier round ${roster.round}: ${error instanceof Error ? error.message : String(error)}`,
      error instanceof AppError ? error.exitCode : 1,
      { cause: error },
    );
  }
  // Outside the try: every member is released, so nothing from here on may
  // tell them to abort.
  await coordinator.turnAwayLatecomers();
  // Stopped during that last read: the rounds all ran, but a script must
  // still see the signal's exit status, not carry on as if nothing happened.
  queues.throwIfStopped();
  emit({ kind: "finished", rounds: options.rounds });
  return { session, participants: roster.memberList().map(({ participant }) => participant) };
}

/**
 * How long the coordinator reads the check-in queue after its last release,
 * for joins already sent: one long poll of SQS's shortest length, which
 * returns at once with what is there. A process that joins later finds no
 * coordinator and times out waiting for its welcome.
 */
const LAST_READ_MS = 1000;

/** One run's state and steps; `runCoordinator` sequences them. */
class Coordinator {
  /** Set after the last release: joins are no longer welcomed, only turned away. */
  private finished = false;

  constructor(
    private readonly names: BarrierQueueNames,
    private readonly queues: BarrierQueues,
    private readonly session: string,
    private readonly roster: BarrierRoster,
    private readonly options: CoordinatorOptions,
    private readonly emit: (event: CoordinatorEvent) => void,
  ) {}

  /** Long-polls the check-in queue until the round is complete or its deadline passes. */
  async collectRound(): Promise<void> {
    const timeoutMs =
      this.roster.round === 1
        ? (this.options.startTimeoutMs ?? this.options.timeoutMs)
        : this.options.timeoutMs;
    const deadline = new Deadline(timeoutMs);
    while (!this.roster.complete()) {
      if (deadline.expired()) {
        throw new AppError(
          `only ${this.roster.checkedInCount()} of ${this.roster.size} participants checked in within ${formatSeconds(timeoutMs)} (missing: ${this.roster.describeMissing()})`,
        );
      }
      const received = await this.queues.receive(this.names.checkIn, deadline);
      for (const { message, ageMs } of received) await this.handle(message, ageMs);
      await this.deleteQuietly(this.names.checkIn, received);
    }
  }

  /** Sends each member its own release: one shared message would wake only one receiver. */
  async release(): Promise<void> {
    const { round } = this.roster;
    const members = this.roster.memberList();
    await Promise.all(
      members.map(({ participant, incarnation }) =>
        this.queues.send(this.names.release(participant), {
          kind: "release",
          session: this.session,
          incarnation,
          round,
        }),
      ),
    );
    this.emit({ kind: "released", round, participants: members.map((m) => m.participant) });
  }

  /**
   * After the last release nobody reads the check-in queue any more, so every
   * process that joined but is not a member (one too many, an id not in
   * `--ids`, a second process with a member's id) is sent an abort saying why,
   * instead of waiting out its timeout and blaming the coordinator. Joins
   * already on the queue are read first. Best effort: the run has succeeded,
   * so a failure here (or a SIGINT/SIGTERM, which cuts the read short) only
   * leaves a latecomer to time out.
   */
  async turnAwayLatecomers(): Promise<void> {
    this.finished = true;
    const deadline = new Deadline(LAST_READ_MS);
    try {
      while (!deadline.expired()) {
        const received = await this.queues.receive(this.names.checkIn, deadline);
        for (const { message, ageMs } of received) await this.handle(message, ageMs);
        await this.deleteQuietly(this.names.checkIn, received);
      }
    } catch {
      // Stopped or SQS failed: tell those known so far.
    }
    const { round } = this.roster;
    await Promise.allSettled(
      this.roster.latecomers().map(async ({ recipient, reason }) => {
        await this.sendAbort(recipient, reason);
        this.emit({ kind: "rejected", round, participant: recipient.participant, reason });
      }),
    );
  }

  /** Best effort: the run has failed already; a participant not told times out on its own. */
  async abortAll(reason: string): Promise<void> {
    const recipients = this.roster.abortRecipients();
    this.emit({
      kind: "aborting",
      round: this.roster.round,
      reason,
      participants: [...new Set(recipients.map((r) => r.participant))].sort(),
    });
    await Promise.allSettled(recipients.map((recipient) => this.sendAbort(recipient, reason)));
  }

  private async handle(
    message: BarrierMessage | undefined,
    ageMs: number | undefined,
  ): Promise<void> {
    if (message === undefined) return this.emit({ kind: "ignored", why: "not a barrier message" });
    if (message.kind !== "join" && message.kind !== "check-in") {
      return this.emit({ kind: "ignored", why: `${message.kind} message on the check-in queue` });
    }
    if (!isParticipantId(message.participant)) {
      return this.emit({ kind: "ignored", why: `bad participant id "${message.participant}"` });
    }
    if (message.kind === "join") {
      if (isLeftoverJoin(message, ageMs)) {
        return this.emit({
          kind: "ignored",
          why: `join of ${message.participant} left by an earlier process, which stopped waiting for its welcome after ${formatSeconds(message.welcomeWaitMs)}`,
        });
      }
      // Any other join is answered, even one whose process has died: the
      // welcome names an incarnation no live process has, so it is ignored
      // on arrival.
      this.roster.recordJoin(message.participant, message.incarnation);
      // No round is left to welcome it to: it is told to abort with the other latecomers.
      if (this.finished) return;
      await this.queues.send(this.names.release(message.participant), {
        kind: "welcome",
        session: this.session,
        incarnation: message.incarnation,
        participants: this.roster.size,
        rounds: this.options.rounds,
      });
      return this.emit({ kind: "joined", participant: message.participant });
    }
    return this.handleCheckIn(message);
  }

  private async handleCheckIn(checkIn: CheckInMessage): Promise<void> {
    const { round } = this.roster;
    const { participant } = checkIn;
    if (checkIn.session !== this.session) {
      return this.emit({ kind: "stale", round, participant, why: "from an earlier run" });
    }
    const verdict = this.roster.recordCheckIn(checkIn);
    switch (verdict.kind) {
      case "counted":
        return this.emit({
          kind: "checked-in",
          round,
          participant,
          count: verdict.count,
          of: this.roster.size,
        });
      case "duplicate":
        return this.emit({ kind: "duplicate", round, participant });
      case "stale":
        return this.emit({
          kind: "stale",
          round,
          participant,
          why: `round ${checkIn.round} is over`,
        });
      case "ahead":
        return this.emit({
          kind: "stale",
          round,
          participant,
          why: `round ${checkIn.round} has not started`,
        });
      case "rejected":
        await this.sendAbort(checkIn, verdict.reason);
        return this.emit({ kind: "rejected", round, participant, reason: verdict.reason });
    }
  }

  private sendAbort({ participant, incarnation }: Recipient, reason: string): Promise<void> {
    return this.queues.send(this.names.release(participant), {
      kind: "abort",
      session: this.session,
      incarnation,
      round: this.roster.round,
      reason,
    });
  }

  private async deleteQuietly(queue: string, received: readonly ReceivedMessage[]): Promise<void> {
    // A failed delete only brings the messages back later, as duplicates the
    // roster ignores; it is not worth failing the round for.
    await this.queues.delete(queue, received).catch(() => {});
  }
}
