import { setMaxListeners } from "node:events";

/**
 * The controller a long-running app loop stops with (a worker, a consumer,
 * a command stopped by its signals).
 * Everything in flight waits on its signal at once: each receive, each held
 * job's pause and slot, each SDK call given it as `abortSignal`. Dozens of
 * listeners are the design, not a leak, so Node's warning past 10 (printed
 * under ordinary load) is turned off for this signal.
 */
export function stopController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
