import type { JobResult } from "../load/jobs.ts";
import type { Measurement } from "./scenario.ts";

/** Turns a generator result into a report row: rates per second of the job's measured time. */
export function measurementOf(
  result: JobResult,
  latencyOf: Measurement["latencyOf"] = "request",
): Measurement {
  const seconds = result.elapsedMs / 1000;
  return {
    requestsPerSecond: result.requests / seconds,
    messagesPerSecond: result.messages / seconds,
    latency: result.latency,
    latencyOf,
    errors: result.errors,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    generatorCores: result.generatorCores,
    ...(result.serverCores === undefined ? {} : { serverCores: result.serverCores }),
    ...(result.otherCores === undefined ? {} : { otherCores: result.otherCores }),
    details: { ...result.extra },
    notes: [],
  };
}
