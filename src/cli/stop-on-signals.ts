import { stoppedExitCode } from "../apps/app-error.ts";
import { stopController } from "../apps/stop-controller.ts";

/**
 * SIGINT/SIGTERM abort the returned signal (its `reason` is the signal's
 * name), so a command can finish what it holds and stop; `onStop` may say
 * so. A second signal, either one, exits at once (130, or 143 for SIGTERM).
 */
export function stopOnSignals(onStop?: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  // Every SDK call of the command listens to this signal while in flight
  // (a web app's sends under load: dozens), which is no leak to warn of.
  const controller = stopController();
  const exitNow = (signal: NodeJS.Signals) => process.exit(stoppedExitCode(signal));
  const listen = (listener: (signal: NodeJS.Signals) => void) => {
    process.once("SIGINT", listener);
    process.once("SIGTERM", listener);
  };
  const forget = (listener: (signal: NodeJS.Signals) => void) => {
    process.off("SIGINT", listener);
    process.off("SIGTERM", listener);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    forget(onSignal);
    onStop?.(signal);
    controller.abort(signal);
    listen(exitNow);
  };
  listen(onSignal);
  return {
    signal: controller.signal,
    dispose() {
      forget(onSignal);
      forget(exitNow);
    },
  };
}

/**
 * Resolves with the first SIGINT or SIGTERM, for a server that runs until
 * stopped; a second signal while it closes exits at once, as above. Call it
 * before serving, so a stop request never meets Node's default handler.
 */
export function untilStopped(): Promise<NodeJS.Signals> {
  const { signal } = stopOnSignals();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(signal.reason as NodeJS.Signals), {
      once: true,
    }),
  );
}
