import { destination, pino } from "pino";
import type { Logger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Structured logs: one JSON object per line on stderr, so stdout stays for people. */
export function createLogger(level: LogLevel, name: string): Logger {
  return pino({ name, level, base: { pid: process.pid } }, destination({ dest: 2, sync: true }));
}
