import { performance } from "node:perf_hooks";
import { readCpuMs, readMachineBusyMs } from "../proc-stats.ts";

/** CPU used between start() and stop(), in cores: 1.0 means one core busy the whole time. */
export interface CpuUsage {
  generatorCores: number;
  serverCores?: number;
  /**
   * Everything else on the machine (other processes, the kernel), in cores.
   * Above ~0.1 the numbers were measured on a shared, busy machine.
   */
  otherCores?: number;
}

/**
 * Samples this (generator) process and the server at the edges of the
 * measured window, so a report can show which side was the bottleneck.
 */
export class CpuWindow {
  readonly #serverPid: number | undefined;
  #startedAt = 0;
  #generatorStart = process.cpuUsage();
  #serverStartMs: number | undefined;
  #machineStartMs: number | undefined;
  #usage: CpuUsage | undefined;

  constructor(serverPid: number | undefined) {
    this.#serverPid = serverPid;
  }

  start(): void {
    this.#startedAt = performance.now();
    this.#generatorStart = process.cpuUsage();
    this.#serverStartMs = this.#serverPid === undefined ? undefined : readCpuMs(this.#serverPid);
    this.#machineStartMs = readMachineBusyMs();
  }

  stop(): CpuUsage {
    if (this.#usage !== undefined) return this.#usage;
    const wallMs = Math.max(1, performance.now() - this.#startedAt);
    const generator = process.cpuUsage(this.#generatorStart);
    const usage: CpuUsage = { generatorCores: (generator.user + generator.system) / 1000 / wallMs };
    const serverEndMs = this.#serverPid === undefined ? undefined : readCpuMs(this.#serverPid);
    if (this.#serverStartMs !== undefined && serverEndMs !== undefined) {
      usage.serverCores = (serverEndMs - this.#serverStartMs) / wallMs;
    }
    const machineEndMs = readMachineBusyMs();
    if (this.#machineStartMs !== undefined && machineEndMs !== undefined) {
      const machineCores = (machineEndMs - this.#machineStartMs) / wallMs;
      usage.otherCores = Math.max(
        0,
        machineCores - usage.generatorCores - (usage.serverCores ?? 0),
      );
    }
    this.#usage = usage;
    return usage;
  }

  /** Starts after `warmupMs` and stops `durationMs` later, on timers, independent of in-flight requests. */
  schedule(warmupMs: number, durationMs: number): { cancel(): void } {
    const startTimer = setTimeout(() => this.start(), warmupMs);
    const stopTimer = setTimeout(() => this.stop(), warmupMs + durationMs);
    return {
      cancel() {
        clearTimeout(startTimer);
        clearTimeout(stopTimer);
      },
    };
  }
}
