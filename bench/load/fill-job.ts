import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { CpuWindow } from "./cpu-window.ts";
import { ErrorTally } from "./error-tally.ts";
import type { FillJob, JobResult } from "./jobs.ts";
import { LatencyRecorder } from "./latency.ts";
import type { Transport } from "./transport.ts";
import { wireFormat } from "./wire-format.ts";

const MAX_ATTEMPTS = 5;

/**
 * Puts exactly `count` messages in the queue: the drain and the 1M restart
 * check both rely on the number, so failed entries are resent (a few times)
 * rather than counted and forgotten.
 */
export async function runFillJob(
  job: FillJob,
  transport: Transport,
  progress: (line: string) => void,
): Promise<JobResult> {
  const wire = wireFormat(job.protocol);
  const headers = wire.headers("SendMessageBatch");
  const batchOf = wire.batchBodies(job.queueUrl);
  const latency = new LatencyRecorder();
  const errors = new ErrorTally();
  const cpu = new CpuWindow(job.serverPid);
  const batches = Math.ceil(job.count / 10);
  const startedAt = performance.now();
  cpu.start();
  let nextBatch = 0;
  let requests = 0;
  let stored = 0;
  let nextReport = job.progressEvery;

  const sendBatch = async (seqs: number[]): Promise<void> => {
    let pending = seqs;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new Error(`fill: a batch still failed after ${MAX_ATTEMPTS} tries: ${errors.first}`);
      }
      const sentAt = performance.now();
      try {
        const answer = await transport.post(headers, batchOf(pending));
        requests++;
        latency.recordMs(performance.now() - sentAt);
        if (answer.status !== 200) {
          errors.addResponse(answer);
          await sleep(50);
          continue;
        }
        const outcome = wire.batchOutcome(answer.body, "SendMessageBatch");
        stored += outcome.succeeded;
        if (outcome.failed > 0) errors.add(outcome.firstFailure ?? "failed entry", outcome.failed);
        pending = outcome.failedIds.map((id) => pending[Number(id)]!);
      } catch (error) {
        errors.addThrown(error);
        await sleep(50);
      }
    }
  };

  const loop = async (): Promise<void> => {
    for (let batch = nextBatch++; batch < batches; batch = nextBatch++) {
      const first = batch * 10;
      const size = Math.min(10, job.count - first);
      await sendBatch(Array.from({ length: size }, (_, i) => first + i));
      if (stored >= nextReport) {
        const seconds = (performance.now() - startedAt) / 1000;
        progress(
          `filled ${stored.toLocaleString("en-US")} / ${job.count.toLocaleString("en-US")} (${Math.round(stored / seconds).toLocaleString("en-US")} msg/s)`,
        );
        nextReport += job.progressEvery;
      }
    }
  };

  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const usage = cpu.stop();
  return {
    requests,
    messages: stored,
    errors: errors.count,
    ...(errors.first === undefined ? {} : { firstError: errors.first }),
    elapsedMs: performance.now() - startedAt,
    latency: latency.summary(),
    ...usage,
  };
}
