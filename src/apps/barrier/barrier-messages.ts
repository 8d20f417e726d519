/**
 * The barrier protocol's five messages. Every body is JSON tagged with
 * {@link BARRIER_PROTOCOL}, so anything else found on the queues (a stray test
 * message, another program's traffic) is recognised and skipped.
 *
 * Identity travels in every message because standard queues duplicate and
 * reorder, and queues outlive runs:
 * - `session`: random, made by the coordinator when it starts; check-ins,
 *   releases and aborts of any earlier run carry another one and are ignored.
 * - `incarnation`: random, made by each participant process when it starts;
 *   the coordinator addresses every reply to one, so a message meant for an
 *   earlier process with the same participant id is ignored.
 * - `round`: 1, 2, ...; a late or duplicated message of an earlier round is
 *   ignored.
 */
export const BARRIER_PROTOCOL = "mailroom-barrier/1";

/** Participant -> coordinator, once at start: "I exist; tell me the session". */
export interface JoinMessage {
  readonly kind: "join";
  readonly participant: string;
  readonly incarnation: string;
  /**
   * How long the sender waits for its welcome before it gives up and exits:
   * a join older than that was left behind by a process that is gone.
   * Optional, so a participant from before joins carried it can still join.
   */
  readonly welcomeWaitMs?: number;
}

/** Coordinator -> participant, in answer to a join: the session and its shape. */
export interface WelcomeMessage {
  readonly kind: "welcome";
  readonly session: string;
  readonly incarnation: string;
  readonly participants: number;
  readonly rounds: number;
}

/** Participant -> coordinator: "I finished phase 1 of `round`". */
export interface CheckInMessage {
  readonly kind: "check-in";
  readonly session: string;
  readonly participant: string;
  readonly incarnation: string;
  readonly round: number;
}

/** Coordinator -> one participant: "everyone finished phase 1 of `round`; start phase 2". */
export interface ReleaseMessage {
  readonly kind: "release";
  readonly session: string;
  readonly incarnation: string;
  readonly round: number;
}

/** Coordinator -> one participant: "this run failed in `round`; stop". */
export interface AbortMessage {
  readonly kind: "abort";
  readonly session: string;
  readonly incarnation: string;
  readonly round: number;
  readonly reason: string;
}

export type ToCoordinator = JoinMessage | CheckInMessage;
export type ToParticipant = WelcomeMessage | ReleaseMessage | AbortMessage;
export type BarrierMessage = ToCoordinator | ToParticipant;

/** `optional ...`: the field may be missing (added to a message after its version). */
type FieldType = "text" | "positive integer" | "optional positive integer";

/** Each message's fields besides `kind`, checked by one generic reader. */
const FIELDS: { readonly [K in BarrierMessage["kind"]]: Record<string, FieldType> } = {
  join: {
    participant: "text",
    incarnation: "text",
    welcomeWaitMs: "optional positive integer",
  },
  welcome: {
    session: "text",
    incarnation: "text",
    participants: "positive integer",
    rounds: "positive integer",
  },
  "check-in": {
    session: "text",
    participant: "text",
    incarnation: "text",
    round: "positive integer",
  },
  release: { session: "text", incarnation: "text", round: "positive integer" },
  abort: { session: "text", incarnation: "text", round: "positive integer", reason: "text" },
};

export function encodeBarrierMessage(message: BarrierMessage): string {
  return JSON.stringify({ protocol: BARRIER_PROTOCOL, ...message });
}

/**
 * Reads a message body; `undefined` for anything that is not a well-formed
 * barrier message of this protocol version (never throws: a foreign body on a
 * queue must not stop the barrier).
 */
export function parseBarrierMessage(body: string | undefined): BarrierMessage | undefined {
  if (body === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.protocol !== BARRIER_PROTOCOL || typeof record.kind !== "string") return undefined;
  if (!Object.hasOwn(FIELDS, record.kind)) return undefined;
  const kind = record.kind as BarrierMessage["kind"];
  const message: Record<string, unknown> = { kind };
  for (const [field, type] of Object.entries(FIELDS[kind])) {
    const fieldValue = record[field];
    if (fieldValue === undefined && type === "optional positive integer") continue;
    if (!isFieldType(fieldValue, type)) return undefined;
    message[field] = fieldValue;
  }
  return message as unknown as BarrierMessage;
}

function isFieldType(value: unknown, type: FieldType): boolean {
  if (type === "text") return typeof value === "string" && value.length > 0;
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}
