import { destination, pino } from "pino";
import type { DestinationStream, Logger } from "pino";
import { CliError } from "./cli-error.ts";
import { serializeError } from "./log-error.ts";
import { writeAboveStatusLine } from "./status-line.ts";
import { textLogLine } from "./text-log-line.ts";
import { checkWritableFile } from "./writable-file.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** `--log-format`: how log lines on stderr look. */
export const LOG_FORMATS = ["auto", "text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The log flags of a command (`--log-file` only where the command has one). */
export interface LogFlags {
  logLevel: LogLevel;
  /** `auto`: text when stderr is a terminal, JSON otherwise. */
  logFormat: LogFormat;
  logFile?: string;
}

/**
 * Logs on stderr, so stdout stays for the command's own output: plain text
 * lines for a person at a terminal (see `text-log-line.ts`), one JSON object
 * per line for a program, as `--log-format` asks (`auto`: text on a
 * terminal, JSON when stderr is a pipe or a file, as most tools do).
 *
 * A `--log-file` is always JSON, for programs to read afterwards, and is
 * written in 4 KiB chunks rather than a write per line (a consumer logs every
 * request); pino flushes what is left when the process exits.
 */
export function createLogger(name: string, flags: LogFlags, stderr?: LogStream): Logger {
  return pino(
    {
      name,
      level: flags.logLevel,
      base: { pid: process.pid },
      serializers: { err: serializeError },
    },
    logDestination(flags, stderr),
  );
}

/** Where log lines go without a `--log-file`; a test's fake terminal, say. */
export interface LogStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

function logDestination({ logFormat, logFile }: LogFlags, stream?: LogStream): DestinationStream {
  if (logFile !== undefined) {
    if (logFormat === "text") {
      throw new CliError(
        "--log-format text is for stderr; a --log-file is always JSON lines (leave out --log-file to read text)",
        2,
      );
    }
    checkWritableFile(logFile, "--log-file", "append");
    return destination({ dest: logFile, mkdir: true, sync: false, minLength: 4096 });
  }
  const stderr = stream ?? destination({ dest: 2, sync: true });
  const terminal = stream === undefined ? process.stderr.isTTY : stream.isTTY === true;
  const text = logFormat === "text" || (logFormat === "auto" && terminal);
  // A terminal may show a progress bar (on stdout): each line goes above it, not glued to it.
  if (terminal) {
    const format = text ? textLogLine : (line: string) => line;
    return { write: (line: string) => writeAboveStatusLine(() => stderr.write(format(line))) };
  }
  // JSON goes straight to stderr as before; only text pays for reading pino's line back.
  return text ? { write: (line: string) => stderr.write(textLogLine(line)) } : stderr;
}
