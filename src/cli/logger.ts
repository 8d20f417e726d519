import { destination, pino } from "pino";
import type { Logger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/**
 * Structured logs: one JSON object per line on stderr (or appended to `file`),
 * so stdout stays for people.
 */
export function createLogger(level: LogLevel, name: string, file?: string): Logger {
  const dest =
    file === undefined
      ? destination({ dest: 2, sync: true })
      : destination({ dest: file, mkdir: true, sync: true });
  return pino({ name, level, base: { pid: process.pid } }, dest);
}
