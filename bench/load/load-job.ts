import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { CpuWindow } from "./cpu-window.ts";
import { ErrorTally } from "./error-tally.ts";
import type { JobResult, LoadJob } from "./jobs.ts";
import { LatencyRecorder } from "./latency.ts";
import type { WireHeaders } from "./sqs-wire.ts";
import type { Transport } from "./transport.ts";
import { wireFormat } from "./wire-format.ts";

interface RequestPlan {
  headers: WireHeaders;
  body(seq: number): string;
  /** Messages a 200 answer accounts for; failed batch entries go to `errors`. */
  count(answer: string, errors: ErrorTally): number;
}

function planFor(job: LoadJob): RequestPlan {
  const wire = wireFormat(job.protocol);
  const one = (): number => 1;
  switch (job.request) {
    case "send":
      return {
        headers: wire.headers("SendMessage"),
        body: wire.sendBodies(job.queueUrl),
        count: one,
      };
    case "send-fifo":
      return {
        headers: wire.headers("SendMessage"),
        body: wire.fifoSendBodies(job.queueUrl, job.groups ?? 1),
        count: one,
      };
    case "send-batch": {
      const batch = wire.batchBodies(job.queueUrl);
      return {
        headers: wire.headers("SendMessageBatch"),
        body: (seq) => batch(Array.from({ length: 10 }, (_, i) => seq * 10 + i)),
        // Parsed, not assumed: a broker that fails entries must not get credit for them.
        count(answer, errors) {
          const outcome = wire.batchOutcome(answer, "SendMessageBatch");
          if (outcome.failed > 0)
            errors.add(outcome.firstFailure ?? "failed entry", outcome.failed);
          return outcome.succeeded;
        },
      };
    }
  }
}

/**
 * Closed loop: `concurrency` loops each send, await the answer, send again.
 * Only answers that arrive inside the window (after warm-up, before the end)
 * count, so the rate is completions per second of the window.
 */
export async function runLoadJob(job: LoadJob, transport: Transport): Promise<JobResult> {
  const plan = planFor(job);
  const latency = new LatencyRecorder();
  const errors = new ErrorTally();
  const cpu = new CpuWindow(job.serverPid);
  const windowStart = performance.now() + job.warmupMs;
  const windowEnd = windowStart + job.durationMs;
  const timers = cpu.schedule(job.warmupMs, job.durationMs);
  let seq = 0;
  let requests = 0;
  let messages = 0;

  const loop = async (): Promise<void> => {
    for (;;) {
      const sentAt = performance.now();
      if (sentAt >= windowEnd) return;
      try {
        const answer = await transport.post(plan.headers, plan.body(seq++));
        const doneAt = performance.now();
        if (doneAt < windowStart || doneAt > windowEnd) continue;
        requests++;
        latency.recordMs(doneAt - sentAt);
        if (answer.status === 200) messages += plan.count(answer.body, errors);
        else errors.addResponse(answer);
      } catch (error) {
        errors.addThrown(error);
        await sleep(10); // a dead server must not turn this into a busy loop
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: job.concurrency }, loop));
  } finally {
    timers.cancel();
  }
  return {
    requests,
    messages,
    errors: errors.count,
    ...(errors.first === undefined ? {} : { firstError: errors.first }),
    elapsedMs: job.durationMs,
    latency: latency.summary(),
    ...cpu.stop(),
  };
}
