import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trackDir } from "../cleanup.ts";
import type { SigningCredentials } from "../load/sigv4-signer.ts";
import { freePort } from "../servers/free-port.ts";
import type { RunningServer } from "../servers/running-server.ts";
import { createQueue, queueDepth } from "../sqs-admin.ts";
import type { ServerSetup, Target } from "./target.ts";

/** How long a restart took, in milliseconds. */
export interface RestartTiming {
  /** SIGTERM until the old process exited. */
  stopMs: number;
  /** Spawn until the new process answered ListQueues. */
  readyMs: number;
}

/**
 * One fresh server per scenario: a clean data dir, so no scenario measures
 * what an earlier one left behind, and the process's peak RSS is its own.
 */
export class TargetSession {
  readonly target: Target;
  readonly #setup: ServerSetup;
  readonly #port: number;
  readonly #dataDir: string;
  readonly #untrack: () => void;
  #server: RunningServer;

  private constructor(
    target: Target,
    setup: ServerSetup,
    port: number,
    dataDir: string,
    server: RunningServer,
    untrack: () => void,
  ) {
    this.target = target;
    this.#setup = setup;
    this.#port = port;
    this.#dataDir = dataDir;
    this.#server = server;
    this.#untrack = untrack;
  }

  static async open(target: Target, setup: ServerSetup = {}): Promise<TargetSession> {
    const dataDir = await mkdtemp(join(tmpdir(), `mailroom-bench-${target.name}-`));
    const untrack = trackDir(dataDir);
    try {
      const port = await freePort();
      const server = await target.start(port, dataDir, setup);
      return new TargetSession(target, setup, port, dataDir, server, untrack);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      untrack();
      throw error;
    }
  }

  get server(): RunningServer {
    return this.#server;
  }

  get dataDir(): string {
    return this.#dataDir;
  }

  /** The key every request must be signed with; undefined when the server checks none. */
  get auth(): SigningCredentials | undefined {
    return this.#setup.auth;
  }

  /** CreateQueue on this server (signed if it must be); resolves with the queue URL. */
  createQueue(name: string, attributes?: Record<string, string>): Promise<string> {
    return createQueue(this.#server.origin, name, attributes, this.auth);
  }

  /** ApproximateNumberOfMessages of one of this server's queues. */
  queueDepth(queueUrl: string): Promise<number> {
    return queueDepth(this.#server.origin, queueUrl, this.auth);
  }

  /** SIGTERM and start again on the same port and data dir (queue URLs stay valid). */
  async restart(): Promise<RestartTiming> {
    const stopMs = await this.#server.stop();
    this.#server = await this.target.start(this.#port, this.#dataDir, this.#setup);
    return { stopMs, readyMs: this.#server.readyMs };
  }

  async close(): Promise<void> {
    try {
      await this.#server.stop();
    } finally {
      await rm(this.#dataDir, { recursive: true, force: true });
      this.#untrack();
    }
  }
}
