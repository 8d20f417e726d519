import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { Job, JobResult } from "./jobs.ts";
import type { JobReply, JobRequest } from "./protocol.ts";
import type { ClientKind } from "./transport.ts";

interface Pending {
  resolve(result: JobResult): void;
  reject(error: Error): void;
  progress(line: string): void;
}

/** The orchestrator's handle on the generator process: one job at a time, answered over IPC. */
export class LoadGenerator {
  readonly #child: ChildProcess;
  readonly #client: ClientKind;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  private constructor(child: ChildProcess, client: ClientKind) {
    this.#child = child;
    this.#client = client;
    child.on("message", (message: JobReply) => this.#onReply(message));
    child.on("exit", (code, signal) => {
      for (const pending of this.#pending.values()) {
        pending.reject(new Error(`load generator exited (${signal ?? code})`));
      }
      this.#pending.clear();
    });
  }

  static start(client: ClientKind): LoadGenerator {
    const child = fork(new URL("./generator-process.ts", import.meta.url), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new LoadGenerator(child, client);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  run(job: Job, progress: (line: string) => void = () => undefined): Promise<JobResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, progress });
      const request: JobRequest = { id, client: this.#client, job };
      this.#child.send(request);
    });
  }

  close(): void {
    if (this.#child.connected) this.#child.disconnect();
  }

  #onReply(message: JobReply): void {
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    if (message.kind === "progress") {
      pending.progress(message.line);
      return;
    }
    this.#pending.delete(message.id);
    if (message.kind === "result") pending.resolve(message.result);
    else pending.reject(new Error(message.message));
  }
}
