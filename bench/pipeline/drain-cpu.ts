import { CpuWindow } from "../load/cpu-window.ts";
import { readCpuMs } from "../proc-stats.ts";

/**
 * CPU used from the first message gone until the queue was empty, in cores
 * (1.0: one core busy the whole time).
 */
export interface DrainCpu {
  readonly brokerCores: number;
  /** The draining processes together (consumers or bare SDK drainers). */
  readonly processCores: number;
  /** Everything else on the machine (other processes, the kernel): noise. */
  readonly otherCores: number;
}

/**
 * The CPU window of the scenarios (this process, the broker, the machine),
 * with the draining processes' own CPU taken out of "other".
 */
export class DrainCpuWindow {
  readonly #window: CpuWindow;
  readonly #pids: readonly number[];
  #startedAt = 0;
  #processStartMs = 0;

  constructor(brokerPid: number, pids: readonly number[]) {
    this.#window = new CpuWindow(brokerPid);
    this.#pids = pids;
  }

  start(): void {
    this.#window.start();
    this.#startedAt = performance.now();
    this.#processStartMs = this.#processMs();
  }

  stop(): DrainCpu {
    const usage = this.#window.stop();
    const wallMs = Math.max(1, performance.now() - this.#startedAt);
    const processCores = (this.#processMs() - this.#processStartMs) / wallMs;
    return {
      brokerCores: usage.serverCores ?? 0,
      processCores,
      // The window counts the draining processes as "other"; this bench's own polling is its "generator".
      otherCores: Math.max(0, (usage.otherCores ?? 0) - processCores),
    };
  }

  #processMs(): number {
    return this.#pids.reduce((sum, pid) => sum + (readCpuMs(pid) ?? 0), 0);
  }
}
