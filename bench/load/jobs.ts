import type { LatencySummary } from "./latency.ts";
import type { SigningCredentials } from "./sigv4-signer.ts";
import type { WireProtocol } from "./sqs-wire.ts";

/** Which request a closed-loop job repeats. Bodies are built by the generator. */
export type RequestKind = "send" | "send-batch" | "send-fifo";

interface JobBase {
  /** `http://127.0.0.1:<port>`: all requests go to `/` there. */
  origin: string;
  /** Requests in flight at once (= pool connections). */
  concurrency: number;
  /** The server's pid, so its CPU time can be sampled at the window edges. */
  serverPid?: number;
  /** Wire protocol of every request of the job. Default `json`. */
  protocol?: WireProtocol;
  /** Sign every request with SigV4 under this key (see SigningTransport). Default: unsigned. */
  signing?: SigningCredentials;
}

/** Repeat one request kind back to back from `concurrency` loops for warm-up + duration. */
export interface LoadJob extends JobBase {
  type: "load";
  request: RequestKind;
  queueUrl: string;
  /** FIFO only: message groups, round-robin. */
  groups?: number;
  warmupMs: number;
  durationMs: number;
}

/** Put `count` messages into a queue with SendMessageBatch of 10. */
export interface FillJob extends JobBase {
  type: "fill";
  queueUrl: string;
  count: number;
  /** Report progress every this many messages. */
  progressEvery: number;
}

/**
 * `rounds` times: fill the queue with `depth` messages (not timed), then
 * ReceiveMessage(10) + DeleteMessageBatch until all are deleted (timed).
 * First, untimed, the same with `warmupMessages` messages.
 */
export interface DrainJob extends JobBase {
  type: "drain";
  queueUrl: string;
  depth: number;
  rounds: number;
  /**
   * Messages filled and drained before the first timed round, so that the
   * server's receive and delete code is compiled (JIT) before the clock
   * starts, as the other scenarios' warm-up second does; 0: none.
   */
  warmupMessages: number;
  /** Per round, for the drain part. */
  timeoutMs: number;
}

/** Producers send single messages stamped with the send time; consumers long-poll and delete. */
export interface EndToEndJob extends JobBase {
  type: "end-to-end";
  queueUrl: string;
  producers: number;
  consumers: number;
  waitTimeSeconds: number;
  warmupMs: number;
  durationMs: number;
}

export type Job = LoadJob | FillJob | DrainJob | EndToEndJob;

/** What every job reports. Rates are per second of the measured window. */
export interface JobResult {
  /** HTTP requests completed inside the window. */
  requests: number;
  /** Messages sent, deleted or delivered inside the window (depends on the job). */
  messages: number;
  /** Non-200 answers and failed batch entries. */
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latency: LatencySummary;
  /** Generator process CPU over the window, in cores (1 = one core busy). */
  generatorCores: number;
  /** Server process CPU over the window, in cores; absent without a pid. */
  serverCores?: number;
  /** Everything else on the machine over the window, in cores. */
  otherCores?: number;
  /** Job-specific numbers (e.g. messages sent during end to end). */
  extra?: Record<string, number>;
}
