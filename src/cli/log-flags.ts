import { Option } from "commander";
import { LOG_FORMATS } from "./logger.ts";

/** `--log-format auto|text|json`, the same on every command that logs. */
export function logFormatOption(): Option {
  return new Option(
    "--log-format <format>",
    "log lines on stderr: text, json, or auto (text on a terminal, JSON otherwise)",
  )
    .choices(LOG_FORMATS)
    .default("auto");
}
