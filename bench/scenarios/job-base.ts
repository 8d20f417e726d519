import type { LoadJob } from "../load/jobs.ts";
import { BENCH_CREDENTIALS } from "../servers/bench-credentials.ts";
import type { ScenarioContext, ScenarioVariant } from "./scenario.ts";

/** The job fields every scenario fills the same way. */
export type JobBase = Pick<
  LoadJob,
  "origin" | "serverPid" | "queueUrl" | "concurrency" | "protocol" | "signing"
>;

/**
 * Where the load goes (the session's fresh server and `queueUrl`), how much
 * is in flight, in which wire protocol, and signed when the variant says so
 * (with the one key a checking server accepts).
 */
export function jobBase(
  variant: ScenarioVariant,
  { session, options }: ScenarioContext,
  queueUrl: string,
): JobBase {
  return {
    origin: session.server.origin,
    serverPid: session.server.pid,
    queueUrl,
    concurrency: options.concurrency,
    protocol: variant.protocol ?? "json",
    ...(variant.signed === undefined ? {} : { signing: BENCH_CREDENTIALS }),
  };
}
