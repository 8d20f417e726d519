import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/** How a third-party client process ended. */
export interface ClientRun {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ClientRunOptions {
  env: NodeJS.ProcessEnv;
  /** The child (and everything it started) is SIGKILLed after this long. */
  timeoutMs: number;
  cwd?: string;
  /** Kills the child (and everything it started) when aborted: pass the test's `t.signal`. */
  signal?: AbortSignal;
  /** Called with each complete line the child writes, stdout and stderr alike. */
  onLine?: (line: string) => void;
}

const running = new Set<ChildProcess>();

/**
 * Runs `command` to completion in its own process group, so that a timeout
 * also ends what it started (terraform's provider plugin, say). Never throws
 * for an exit code: the test decides what a failure is.
 */
export function runClient(
  command: string,
  args: readonly string[],
  options: ClientRunOptions,
): Promise<ClientRun> {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  const lines = lineSplitter(options.onLine);
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    lines(chunk);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    lines(chunk);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs);
  const abort = () => killGroup(child);
  options.signal?.addEventListener("abort", abort, { once: true });
  const label = [command, ...args].join(" ");
  return new Promise((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", abort);
      running.delete(child);
      resolve({ command: label, code, signal, timedOut, stdout, stderr, ms: Date.now() - started });
    };
    child.once("error", (error) => {
      stderr += `${error.message}\n`;
      finish(null, null);
    });
    child.once("close", finish);
  });
}

/**
 * Runs a session script that checks as it goes and prints a JSON summary
 * on success: fails the test with the script's output unless it exits 0,
 * else returns the summary.
 */
export async function runSession<Summary>(
  command: string,
  args: readonly string[],
  options: ClientRunOptions,
): Promise<Summary> {
  const run = await runClient(command, args, options);
  assert.equal(run.code, 0, describeRun(run));
  return JSON.parse(run.stdout) as Summary;
}

/** A failure message naming the command, how it ended and the tail of its output. */
export function describeRun(run: ClientRun): string {
  const ending = run.timedOut
    ? "timed out and was killed"
    : `exited with ${run.code ?? run.signal}`;
  return [
    `${run.command} ${ending} after ${run.ms} ms`,
    `--- stdout ---\n${run.stdout.slice(-3000)}`,
    `--- stderr ---\n${run.stderr.slice(-3000)}`,
  ].join("\n");
}

function lineSplitter(onLine: ((line: string) => void) | undefined): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    if (!onLine) return;
    pending += chunk;
    const complete = pending.split("\n");
    pending = complete.pop()!;
    for (const line of complete) onLine(line);
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

process.once("exit", () => {
  for (const child of running) killGroup(child);
});
