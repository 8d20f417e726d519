import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { messagesLeft } from "../../src/cli/pipeline/queue-activity.ts";
import { trackChild } from "../cleanup.ts";
import { readMemory } from "../proc-stats.ts";
import { DrainCpuWindow } from "./drain-cpu.ts";
import type { DrainCpu } from "./drain-cpu.ts";
import type { LoadedBroker } from "./loaded-broker.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** A run that has not drained by then is reported as failed rather than waited on forever. */
const DRAIN_LIMIT_MS = 300_000;
/** How long a process may take to finish what it holds after SIGTERM before it is killed. */
const STOP_GRACE_MS = 30_000;
const STDERR_TAIL = 4000;

/**
 * A Node process that drains the queue (a `mailroom consumer` or a bare SDK
 * drainer), keeping all it prints on stdout and the tail of its stderr.
 */
export class DrainerProcess {
  #stdout = "";
  #stderrTail = "";
  readonly #child: ChildProcess;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly #closed: Promise<void>;

  /** `node <args>`, from the repository's root (where `--import tsx` resolves). */
  constructor(args: readonly string[]) {
    this.#child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (this.#stdout += chunk));
    this.#child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-STDERR_TAIL);
    });
    const untrack = trackChild(this.#child);
    this.#closed = new Promise((resolve) => this.#child.once("close", () => resolve()));
    void this.#closed.then(untrack);
  }

  /** Everything it printed on stdout so far (all of it, once `stop` has resolved). */
  get stdout(): string {
    return this.#stdout;
  }

  get stderrTail(): string {
    return this.#stderrTail;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get exited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  /** SIGTERM (finish what you hold), then SIGKILL if that takes longer than STOP_GRACE_MS. */
  async stop(): Promise<void> {
    if (!this.exited) this.#child.kill("SIGTERM");
    const killer = setTimeout(() => this.#child.kill("SIGKILL"), STOP_GRACE_MS);
    await this.#closed;
    clearTimeout(killer);
  }
}

/** What `drainAndStop` saw of the processes. */
export interface DrainWatch extends DrainCpu {
  /** Highest VmHWM (peak resident memory) of any of the processes, MiB. */
  readonly peakRssMiB: number;
}

/**
 * Waits until nothing is left on the queue (visible, in flight or delayed),
 * reading each process's peak RSS every 100 ms, then stops them all. Fails
 * when one exits while messages are left, or after DRAIN_LIMIT_MS.
 */
export async function drainAndStop(
  broker: LoadedBroker,
  queueDepth: number,
  drainers: readonly DrainerProcess[],
): Promise<DrainWatch> {
  let peakRssMiB = 0;
  const samplePeaks = (): void => {
    for (const drainer of drainers)
      peakRssMiB = Math.max(peakRssMiB, readMemory(drainer.pid)?.peakRssMiB ?? 0);
  };
  // Started once the first message is gone, so the processes' start-up is left out, as in the rate.
  const cpu = new DrainCpuWindow(
    broker.pid,
    drainers.map((drainer) => drainer.pid),
  );
  let draining = false;
  try {
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    for (;;) {
      const left = await messagesLeft(broker.sqs, broker.queueUrl);
      if (left === 0) break;
      if (!draining && left < queueDepth) {
        cpu.start();
        draining = true;
      }
      const gone = drainers.find((drainer) => drainer.exited);
      if (gone !== undefined)
        throw new Error(
          `process ${gone.pid} exited early: ${gone.stderrTail.trim() || "no output"}`,
        );
      if (Date.now() > deadline)
        throw new Error(`the queue was not drained in ${DRAIN_LIMIT_MS / 1000} s`);
      samplePeaks();
      await sleep(100);
    }
    samplePeaks();
    return { peakRssMiB, ...cpu.stop() };
  } finally {
    await Promise.all(drainers.map((drainer) => drainer.stop()));
  }
}
