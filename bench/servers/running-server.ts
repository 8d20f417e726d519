import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { trackChild } from "../cleanup.ts";

/** A server under test in its own process. */
export interface RunningServer {
  readonly origin: string;
  readonly pid: number;
  /** Milliseconds from spawn until the readiness check first passed. */
  readonly readyMs: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the milliseconds until it exited. */
  stop(graceMs?: number): Promise<number>;
}

export interface SpawnOptions {
  /** Used in error messages. */
  name: string;
  /** Arguments after `node`. */
  args: string[];
  cwd?: string;
  /** The server's environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  port: number;
  /** Resolves true once the server answers; polled every 50 ms. */
  isReady(origin: string): Promise<boolean>;
  timeoutMs?: number;
}

const OUTPUT_TAIL = 4000;

/**
 * Spawns `node <args>` and waits until `isReady` passes. Output is drained
 * continuously (a full pipe would stall a chatty server) and its tail kept
 * for the error message when the server dies or never gets ready.
 */
export async function spawnServer(options: SpawnOptions): Promise<RunningServer> {
  const origin = `http://127.0.0.1:${options.port}`;
  const startedAt = performance.now();
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exitCode = signal ?? code;
      resolve();
    }),
  );
  child.on("error", (error) => keep(Buffer.from(String(error))));
  const untrack = trackChild(child);
  void exited.then(untrack);

  const deadline = startedAt + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `${options.name} exited (${exitCode}) before it was ready:\n${output.trim()}`,
      );
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `${options.name} was not ready within ${options.timeoutMs ?? 60_000} ms:\n${output.trim()}`,
      );
    }
    if (await options.isReady(origin).catch(() => false)) break;
    await sleep(50);
  }
  const readyMs = performance.now() - startedAt;

  return {
    origin,
    pid: child.pid!,
    readyMs,
    async stop(graceMs = 30_000) {
      if (exitCode !== undefined) return 0;
      const stopAt = performance.now();
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killer);
      return performance.now() - stopAt;
    },
  };
}
