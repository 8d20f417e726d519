import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { CliError } from "../cli-error.ts";
import { describeExit, exitOf, whenExited } from "../process-exit.ts";
import type { ProcessExit } from "../process-exit.ts";
import { spawnMailroom } from "../spawn-mailroom.ts";

/** A `mailroom <command>` child of the demo, its stderr kept in a log file. */
export interface MailroomProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /**
   * Resolves with the first stdout match of `pattern`; rejects if the
   * process ends first, after `timeoutMs`, or when `stop` aborts (with its reason).
   */
  waitFor(
    pattern: RegExp,
    options?: { timeoutMs?: number; stop?: AbortSignal },
  ): Promise<RegExpMatchArray>;
  /** Resolves with how it ended (exit code or signal), once it has. */
  readonly ended: Promise<ProcessExit>;
  /** SIGTERM, then how it ended. */
  stop(): Promise<ProcessExit>;
}

export function startMailroom(
  name: string,
  args: readonly string[],
  logFile: string,
): MailroomProcess {
  const child = spawnMailroom(args, { stdout: "pipe" });
  child.stderr!.pipe(createWriteStream(logFile));
  // Its last `mailroom: ...` line, the one-line error of a command that stopped.
  let lastError = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    const line = chunk
      .split("\n")
      .filter((text) => text.startsWith("mailroom: "))
      .at(-1);
    if (line !== undefined) lastError = line.slice("mailroom: ".length);
  });
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const ended = whenExited(child);
  return {
    name,
    child,
    ended,
    waitFor(pattern, { timeoutMs = 30_000, stop } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) finish(() => resolve(match));
        };
        const fail = (why: string) => () =>
          finish(() =>
            reject(
              new CliError(`${name} ${why}${lastError ? `: ${lastError}` : ""} (see ${logFile})`),
            ),
          );
        const timer = setTimeout(fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
        // "exited with 1 before it was ready", "was killed by SIGKILL before it was ready".
        const onExit = () => fail(`${describeExit(exitOf(child)!)} before it was ready`)();
        const onStop = () => finish(() => reject(stop!.reason));
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          child.off("close", onExit);
          stop?.removeEventListener("abort", onStop);
          settle();
        };
        child.stdout!.on("data", check);
        child.once("close", onExit);
        stop?.addEventListener("abort", onStop, { once: true });
        check();
        if (stop?.aborted) onStop();
      });
    },
    async stop() {
      if (exitOf(child) === undefined) child.kill("SIGTERM");
      return ended;
    },
  };
}
