import { stoppedExitCode } from "../apps/app-error.ts";
import { CliError } from "./cli-error.ts";

/**
 * `work` (a command's start-up: its queue's look-up or creation, its stores
 * opened), unless `stop` aborts first. Nothing is held yet then, so a
 * SIGINT or SIGTERM ends the command at once, with a stopped job's exit code
 * (130, or 143 for SIGTERM), instead of once a call SQS does not answer
 * reaches its deadline and is reported as SQS's fault.
 */
export function unlessStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onStop = () => reject(stoppedWhileStarting(stop));
    if (stop.aborted) return onStop();
    stop.addEventListener("abort", onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener("abort", onStop));
  });
}

function stoppedWhileStarting(stop: AbortSignal): CliError {
  const signal = String(stop.reason);
  return new CliError(`stopped by ${signal} while starting`, stoppedExitCode(signal));
}
