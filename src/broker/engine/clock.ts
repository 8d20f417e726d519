/**
 * Time, injected. Every visibility timeout, delay, retention period, dedup
 * window and long poll in the engine reads time and sets timers through a
 * Clock, so tests move time instead of sleeping (see ManualClock).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now. */
  setTimer(delayMs: number, callback: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

/** The real clock. Timers are unref'd: a pending long poll never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
