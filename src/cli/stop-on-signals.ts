/**
 * The exit code of a job stopped early by `signal` (128 + its number), as a
 * shell reports one killed by it: `send && next` must not go on to `next`.
 */
export function stoppedExitCode(signal: string): number {
  return signal === "SIGTERM" ? 143 : 130;
}

/**
 * SIGINT/SIGTERM abort the returned signal (its `reason` is the signal's
 * name), so a command can finish what it holds and stop; `onStop` may say
 * so. A second signal exits at once (130).
 */
export function stopOnSignals(onStop?: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    onStop?.(signal);
    controller.abort(signal);
    process.once(signal, () => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
