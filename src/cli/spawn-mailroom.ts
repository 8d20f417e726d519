import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { STOP_WITH_PARENT_ENV } from "./stop-with-parent.ts";

const MAILROOM_BIN = fileURLToPath(new URL("../../bin/mailroom.js", import.meta.url));

/**
 * `mailroom <args>` as a child of a command that runs several (the pipeline's
 * consumers, the demos' brokers, apps and workers). It stops when this
 * process ends, however it ends: its stdin is a pipe from here (see
 * stopWithParent), so even a SIGKILLed parent leaves nothing running. It has
 * a process group of its own: Ctrl-C reaches the parent alone, which stops
 * its children once (a second signal would make one drop what it holds).
 */
export function spawnMailroom(
  args: readonly string[],
  options: { stdout: "pipe" | "ignore"; env?: NodeJS.ProcessEnv },
): ChildProcess {
  return spawn(process.execPath, [MAILROOM_BIN, ...args], {
    stdio: ["pipe", options.stdout, "pipe"],
    env: { ...(options.env ?? process.env), [STOP_WITH_PARENT_ENV]: "1" },
    detached: true,
  });
}
