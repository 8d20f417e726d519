import { AppError } from "../app-error.ts";

/** The barrier name used when `--barrier` is not given. */
export const DEFAULT_BARRIER_NAME = "barrier";

/**
 * Letters, digits, `-` and `_`: the characters SQS allows in a queue name, so
 * a barrier name and a participant id can be part of one. The lengths keep the
 * longest queue name (`<barrier>-release-<id>`, 30 + 9 + 40) under SQS's 80.
 */
const BARRIER_NAME = /^[A-Za-z0-9_-]{1,30}$/;
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The barrier's queues, all standard queues derived from its name:
 * `<barrier>-checkin` (participants -> coordinator, one consumer: the
 * coordinator) and `<barrier>-release-<id>` (coordinator -> one participant,
 * one consumer: that participant).
 */
export interface BarrierQueueNames {
  readonly checkIn: string;
  release(participant: string): string;
}

export function barrierQueueNames(barrier: string): BarrierQueueNames {
  checkBarrierName(barrier);
  return {
    checkIn: `${barrier}-checkin`,
    release: (participant) => `${barrier}-release-${checkParticipantId(participant)}`,
  };
}

export function checkBarrierName(barrier: string): string {
  if (!BARRIER_NAME.test(barrier)) {
    throw new AppError(
      `barrier name must be 1 to 30 letters, digits, "-" or "_" (it names queues), got "${barrier}"`,
      2,
    );
  }
  return barrier;
}

export function checkParticipantId(participant: string): string {
  if (!PARTICIPANT_ID.test(participant)) {
    throw new AppError(
      `participant id must be 1 to 40 letters, digits, "-" or "_" (it names a queue), got "${participant}"`,
      2,
    );
  }
  return participant;
}

/** True when `participant` can name a release queue (ids read off a queue are checked before use). */
export function isParticipantId(participant: string): boolean {
  return PARTICIPANT_ID.test(participant);
}
