import { destination, pino } from "pino";
import type { Logger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/**
 * Structured logs: one JSON object per line on stderr (or appended to `file`),
 * so stdout stays for people. A log file is written in 4 KiB chunks rather
 * than a write per line (a consumer logs every request); pino flushes what is
 * left when the process exits.
 */
export function createLogger(level: LogLevel, name: string, file?: string): Logger {
  const dest =
    file === undefined
      ? destination({ dest: 2, sync: true })
      : destination({ dest: file, mkdir: true, sync: false, minLength: 4096 });
  return pino({ name, level, base: { pid: process.pid } }, dest);
}
