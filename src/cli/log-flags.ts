import { Option } from "commander";
import { LOG_FORMATS } from "./logger.ts";
import type { LogLevel } from "./logger.ts";

/** `--log-format auto|text|json`, the same on every command that logs. */
export function logFormatOption(): Option {
  return new Option(
    "--log-format <format>",
    "log lines on stderr: text, json, or auto (text on a terminal, JSON otherwise)",
  )
    .choices(LOG_FORMATS)
    .default("auto");
}

/** `--log-level`, with `MAILROOM_LOG_LEVEL` as its environment variable. */
export function logLevelOption(
  defaultLevel: LogLevel = "info",
  description = "structured log level on stderr",
): Option {
  return new Option("--log-level <level>", description)
    .choices(["debug", "info", "warn", "error", "silent"])
    .default(defaultLevel)
    .env("MAILROOM_LOG_LEVEL");
}
