/**
 * A job as it travels in an SQS message body: JSON, so any SQS tool shows it
 * and a worker in another language could read it.
 */
export interface JobMessage {
  /** The job id; also the key of its record in the result backend. */
  readonly id: string;
  /** The registered task that runs it. */
  readonly task: string;
  readonly payload: unknown;
  /** When it was enqueued, epoch ms. */
  readonly enqueuedAt: number;
  /**
   * Not to be run before this time, epoch ms. SQS delays only in whole
   * seconds (and not per message on FIFO queues); the worker holds the
   * message until then for the rest.
   */
  readonly runAt: number;
  /** Jobs with one coalescing key are versions of one piece of work: only the newest need run. */
  readonly coalesce?: { readonly key: string; readonly version: number };
}

export function encodeJobMessage(job: JobMessage): string {
  return JSON.stringify(job);
}

/** The job in a message body, or the reason it is not one. */
export function parseJobMessage(
  body: string,
): { ok: true; job: JobMessage } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: "the message body is not JSON" };
  }
  if (typeof value !== "object" || value === null) {
    return { ok: false, reason: "the message body is not a job object" };
  }
  const job = value as Record<string, unknown>;
  if (typeof job.id !== "string" || job.id === "")
    return { ok: false, reason: "the job has no id" };
  if (typeof job.task !== "string" || job.task === "") {
    return { ok: false, reason: "the job names no task" };
  }
  const enqueuedAt = typeof job.enqueuedAt === "number" ? job.enqueuedAt : Date.now();
  const runAt = typeof job.runAt === "number" ? job.runAt : enqueuedAt;
  const coalesce = parseCoalesce(job.coalesce);
  if (coalesce === null) return { ok: false, reason: "the job's coalesce is not {key, version}" };
  return {
    ok: true,
    job: {
      id: job.id,
      task: job.task,
      payload: job.payload,
      enqueuedAt,
      runAt,
      ...(coalesce === undefined ? {} : { coalesce }),
    },
  };
}

function parseCoalesce(value: unknown): JobMessage["coalesce"] | null {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) return null;
  const { key, version } = value as Record<string, unknown>;
  if (typeof key !== "string" || typeof version !== "number" || !Number.isSafeInteger(version)) {
    return null;
  }
  return { key, version };
}
