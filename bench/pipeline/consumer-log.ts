import { readFileSync } from "node:fs";
import type { Processed } from "./processing-rate.ts";

/**
 * The requests a consumer took on, from its `--log-file`: one JSON line
 * with the message "Processing ..." per request, stamped by pino with the
 * epoch milliseconds in `time`.
 */
export function processingInLog(logFile: string): Processed[] {
  const events: Processed[] = [];
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (line.includes('"msg":"Processing '))
      events.push({ time: (JSON.parse(line) as { time: number }).time, count: 1 });
  }
  return events;
}
