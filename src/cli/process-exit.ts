import type { ChildProcess } from "node:child_process";

/** How a child process ended: its exit code, or the signal that killed it. */
export type ProcessExit = number | NodeJS.Signals;

/** "exited with 1", "was killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  return typeof exit === "number" ? `exited with ${exit}` : `was killed by ${exit}`;
}

/**
 * How `child` ended, or undefined while it runs. `exitCode` alone is not
 * enough: it stays null for a child a signal killed.
 */
export function exitOf(child: ChildProcess): ProcessExit | undefined {
  return child.exitCode ?? child.signalCode ?? undefined;
}

/** Resolves with how `child` ended, once it has. */
export function whenExited(child: ChildProcess): Promise<ProcessExit> {
  const exit = exitOf(child);
  if (exit !== undefined) return Promise.resolve(exit);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal!)));
}
