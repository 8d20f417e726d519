import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trackDir } from "../cleanup.ts";
import { freePort } from "../servers/free-port.ts";
import type { RunningServer } from "../servers/running-server.ts";
import type { Target } from "./target.ts";

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
  readonly #port: number;
  readonly #dataDir: string;
  readonly #untrack: () => void;
  #server: RunningServer;

  private constructor(
    target: Target,
    port: number,
    dataDir: string,
    server: RunningServer,
    untrack: () => void,
  ) {
    this.target = target;
    this.#port = port;
    this.#dataDir = dataDir;
    this.#server = server;
    this.#untrack = untrack;
  }

  static async open(target: Target): Promise<TargetSession> {
    const dataDir = await mkdtemp(join(tmpdir(), `mailroom-bench-${target.name}-`));
    const untrack = trackDir(dataDir);
    try {
      const port = await freePort();
      return new TargetSession(target, port, dataDir, await target.start(port, dataDir), untrack);
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

  /** SIGTERM and start again on the same port and data dir (queue URLs stay valid). */
  async restart(): Promise<RestartTiming> {
    const stopMs = await this.#server.stop();
    this.#server = await this.target.start(this.#port, this.#dataDir);
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
