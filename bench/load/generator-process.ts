/**
 * Entry point of the load generator's own process. It does nothing but run
 * jobs, so its event loop is never shared with the orchestrator's bookkeeping
 * or with a server under test.
 */
import { createTransport } from "./create-transport.ts";
import { runDrainJob } from "./drain-job.ts";
import { runEndToEndJob } from "./end-to-end-job.ts";
import { runFillJob } from "./fill-job.ts";
import type { Job, JobResult } from "./jobs.ts";
import { runLoadJob } from "./load-job.ts";
import type { JobReply, JobRequest } from "./protocol.ts";
import { SigningTransport } from "./signing-transport.ts";
import type { Transport } from "./transport.ts";

function reply(message: JobReply): void {
  process.send?.(message);
}

function run(job: Job, transport: Transport, progress: (line: string) => void): Promise<JobResult> {
  switch (job.type) {
    case "load":
      return runLoadJob(job, transport);
    case "fill":
      return runFillJob(job, transport, progress);
    case "drain":
      return runDrainJob(job, transport, progress);
    case "end-to-end":
      return runEndToEndJob(job, transport);
  }
}

process.on("message", (request: JobRequest) => {
  const { job } = request;
  const plain = createTransport(request.client, job.origin, job.concurrency);
  const transport =
    job.signing === undefined ? plain : new SigningTransport(plain, job.signing, job.origin);
  const progress = (line: string): void => reply({ id: request.id, kind: "progress", line });
  run(job, transport, progress)
    .then((result) => {
      if (transport instanceof SigningTransport) {
        result.extra = { ...result.extra, signingUsPerRequest: transport.signingUsPerRequest };
      }
      reply({ id: request.id, kind: "result", result });
    })
    .catch((error: unknown) =>
      reply({
        id: request.id,
        kind: "error",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    )
    .finally(() => void transport.close().catch(() => undefined));
});

// The orchestrator going away (Ctrl-C, crash) must not leave a generator behind.
process.on("disconnect", () => process.exit(0));
