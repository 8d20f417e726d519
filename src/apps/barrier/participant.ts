import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import { SQS_ANSWER_TIMEOUT_MS } from "../aws/sqs-call-deadline.ts";
import { counted } from "../counted.ts";
import type { AbortMessage, BarrierMessage, WelcomeMessage } from "./barrier-messages.ts";
import { barrierQueueNames, checkParticipantId } from "./barrier-names.ts";
import type { BarrierQueueNames } from "./barrier-names.ts";
import { BarrierQueues } from "./barrier-queues.ts";
import { Deadline, formatSeconds } from "./deadline.ts";
import type { ParticipantEvent } from "./participant-events.ts";
import type { TimelineStep } from "./timeline.ts";
import { pickWorkMs } from "./work-time.ts";
import type { WorkTime } from "./work-time.ts";

export interface ParticipantOptions {
  readonly sqs: SQSClient;
  /** Names the queues (`<barrier>-checkin`, `<barrier>-release-<id>`). */
  readonly barrier: string;
  /** This participant's id, unique among the barrier's participants. */
  readonly id: string;
  /** Rounds to run; must match the coordinator's. Default: the coordinator's. */
  readonly rounds?: number;
  /**
   * The coordinator's round timeout: a release is awaited this long after a
   * check-in (rounds after round 1), plus a margin for the coordinator's abort.
   */
  readonly timeoutMs: number;
  /**
   * Longest wait for the coordinator's welcome and (plus the same margin) for
   * round 1's release, which also wait for every other process to start.
   * Default: `timeoutMs`.
   */
  readonly startTimeoutMs?: number;
  /** How long each simulated phase takes. */
  readonly work: WorkTime;
  /** SIGINT/SIGTERM: stops the work or the wait. */
  readonly stop?: AbortSignal;
  readonly onEvent?: (event: ParticipantEvent) => void;
}

/**
 * Runs one participant: joins (and learns the session and the number of
 * rounds), then for each round does phase 1, checks in, waits on its own
 * release queue for the release of that round, and does phase 2. Throws an
 * AppError naming the round when the coordinator aborts the run or does not
 * answer within the timeout.
 */
export async function runParticipant(options: ParticipantOptions): Promise<void> {
  const id = checkParticipantId(options.id);
  const participant = new Participant(
    id,
    barrierQueueNames(options.barrier),
    new BarrierQueues(options.sqs, options.stop ?? new AbortController().signal),
    options,
  );
  try {
    await participant.run();
  } catch (error) {
    const where = participant.round === 0 ? "barrier" : `barrier round ${participant.round}`;
    throw new AppError(
      `${where}: ${error instanceof Error ? error.message : String(error)}`,
      error instanceof AppError ? error.exitCode : 1,
      { cause: error },
    );
  }
}

/**
 * How much longer a participant waits for a release than the coordinator
 * waits for the round's check-ins (`--timeout`, or `--start-timeout` in round
 * 1), so that when a round fails the coordinator's abort, which names who is
 * missing, arrives first. The coordinator's clock for a round starts only
 * once its releases of the previous round are all sent, each of which SQS may
 * take this long to answer, while a participant released first may already
 * have checked in; and after its deadline the coordinator still has to send
 * the abort.
 */
const RELEASE_WAIT_MARGIN_MS = SQS_ANSWER_TIMEOUT_MS;

/** What the participant waits for on its release queue. */
type Awaited = { readonly kind: "welcome" } | { readonly kind: "release"; readonly round: number };

class Participant {
  /** The round in progress; 0 while joining. */
  round = 0;
  /** Random per process: the coordinator addresses its replies to it. */
  private readonly incarnation = randomBytes(6).toString("hex");
  private session = "";
  private readonly inbox: string;
  private readonly emit: (event: ParticipantEvent) => void;

  constructor(
    private readonly id: string,
    private readonly names: BarrierQueueNames,
    private readonly queues: BarrierQueues,
    private readonly options: ParticipantOptions,
  ) {
    this.inbox = names.release(id);
    this.emit = options.onEvent ?? (() => {});
  }

  async run(): Promise<void> {
    const welcome = await this.join();
    for (this.round = 1; this.round <= welcome.rounds; this.round += 1) {
      await this.phase(1);
      await this.queues.send(this.names.checkIn, {
        kind: "check-in",
        session: this.session,
        participant: this.id,
        incarnation: this.incarnation,
        round: this.round,
      });
      this.mark("checked in");
      const timeoutMs =
        (this.round === 1 ? this.startTimeoutMs() : this.options.timeoutMs) +
        RELEASE_WAIT_MARGIN_MS;
      await this.waitFor(
        { kind: "release", round: this.round },
        timeoutMs,
        `no release from the coordinator within ${formatSeconds(timeoutMs)}`,
      );
      await this.phase(2);
    }
    this.round = welcome.rounds;
    this.emit({ kind: "finished", participant: this.id, rounds: welcome.rounds });
  }

  private async join(): Promise<WelcomeMessage> {
    // The release queue must exist before the join: the welcome comes there.
    await Promise.all([this.queues.url(this.inbox), this.queues.url(this.names.checkIn)]);
    await this.queues.send(this.names.checkIn, {
      kind: "join",
      participant: this.id,
      incarnation: this.incarnation,
      welcomeWaitMs: Math.max(1, Math.ceil(this.startTimeoutMs())),
    });
    const welcome = (await this.waitFor(
      { kind: "welcome" },
      this.startTimeoutMs(),
      `no welcome from the coordinator within ${formatSeconds(this.startTimeoutMs())} (is \`mailroom barrier coordinator --barrier ${this.options.barrier}\` running?)`,
    )) as WelcomeMessage;
    if (this.options.rounds !== undefined && this.options.rounds !== welcome.rounds) {
      throw new AppError(
        `the coordinator runs ${counted(welcome.rounds, "round")} but --rounds is ${this.options.rounds}`,
        2,
      );
    }
    this.session = welcome.session;
    this.emit({
      kind: "joined",
      participant: this.id,
      session: welcome.session,
      participants: welcome.participants,
      rounds: welcome.rounds,
    });
    return welcome;
  }

  private async phase(phase: 1 | 2): Promise<void> {
    this.mark(phase === 1 ? "phase 1 started" : "phase 2 began");
    try {
      await sleep(pickWorkMs(this.options.work), undefined, { signal: this.options.stop });
    } catch (error) {
      this.queues.throwIfStopped();
      throw error;
    }
    this.mark(phase === 1 ? "phase 1 ended" : "phase 2 ended");
  }

  private startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? this.options.timeoutMs;
  }

  private mark(step: TimelineStep): void {
    this.emit({
      kind: "timeline",
      entry: { at: Date.now(), participant: this.id, round: this.round, step },
    });
  }

  /**
   * Long-polls the release queue until the awaited message arrives. Everything
   * else there is deleted and ignored: duplicates, earlier rounds' releases,
   * and messages for an earlier process with this id. An abort addressed to
   * this process wins over anything in the same batch.
   */
  private async waitFor(
    awaited: Awaited,
    timeoutMs: number,
    timeoutMessage: string,
  ): Promise<BarrierMessage> {
    const deadline = new Deadline(timeoutMs);
    for (;;) {
      if (deadline.expired()) throw new AppError(timeoutMessage);
      const received = await this.queues.receive(this.inbox, deadline);
      let found: BarrierMessage | undefined;
      let abort: AbortMessage | undefined;
      for (const { message } of received) {
        const why = this.whyIgnore(message, awaited);
        if (why !== undefined) this.emit({ kind: "ignored", participant: this.id, why });
        else if (message?.kind === "abort") abort = message;
        else found = message;
      }
      await this.queues.delete(this.inbox, received).catch(() => {});
      if (abort) throw new AppError(`aborted by the coordinator: ${abort.reason}`);
      if (found) return found;
    }
  }

  /** Why a message is not the awaited one (or an abort); undefined when it is. */
  private whyIgnore(message: BarrierMessage | undefined, awaited: Awaited): string | undefined {
    if (message === undefined) return "not a barrier message";
    if (message.kind === "join" || message.kind === "check-in") {
      return `${message.kind} message on a release queue`;
    }
    if (message.incarnation !== this.incarnation) {
      return `${message.kind} message for an earlier process with id ${this.id}`;
    }
    if (message.kind === "abort") return undefined;
    if (message.kind === "welcome") {
      return awaited.kind === "welcome" ? undefined : "duplicate welcome";
    }
    if (awaited.kind !== "release") return `release of round ${message.round} before the welcome`;
    if (message.session !== this.session) return "release of another session";
    if (message.round < awaited.round) return `late duplicate release of round ${message.round}`;
    if (message.round > awaited.round)
      return `release of round ${message.round}, which has not started`;
    return undefined;
  }
}
