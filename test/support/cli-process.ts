import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const MAILROOM_BIN = fileURLToPath(new URL("../../bin/mailroom.js", import.meta.url));

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `mailroom <command>` child process whose output the test can watch. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (or stderr with `stream`), or rejects after `timeoutMs`. */
  waitFor(
    pattern: RegExp,
    timeoutMs?: number,
    stream?: "stdout" | "stderr",
  ): Promise<RegExpMatchArray>;
  readonly exited: Promise<CliExit>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<CliExit>;
}

const running = new Set<ChildProcess>();

/**
 * Starts `node bin/mailroom.js ...args` from the repository root. Every child
 * is SIGKILLed when the test process exits, so a failed test leaves nothing behind.
 */
export function startCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CliProcess {
  const child = spawn(process.execPath, [MAILROOM_BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<CliExit>((resolve) => {
    child.once("close", (code, signal) => {
      running.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    // A start on a loaded two-core CI host has taken over 20 s (tsx compiles first).
    waitFor(pattern, timeoutMs = 60_000, stream = "stdout") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = (stream === "stdout" ? stdout : stderr).match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`process exited before printing ${pattern}\n${describe()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms\n${describe()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };

  function describe(): string {
    return `--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-2000)}`;
  }
}

/** Runs `mailroom ...args` to completion (killing it after `timeoutMs`) and returns its exit. */
export async function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliExit> {
  const cli = startCli(args, options);
  const timer = setTimeout(() => cli.child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exit = await cli.exited;
  clearTimeout(timer);
  return exit;
}

process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
