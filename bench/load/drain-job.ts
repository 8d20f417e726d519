import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { CpuWindow } from "./cpu-window.ts";
import { ErrorTally } from "./error-tally.ts";
import { runFillJob } from "./fill-job.ts";
import type { DrainJob, JobResult } from "./jobs.ts";
import { LatencyRecorder } from "./latency.ts";
import type { WireHeaders } from "./sqs-wire.ts";
import type { Transport, WireResponse } from "./transport.ts";
import { wireFormat } from "./wire-format.ts";

interface RoundTotals {
  requests: number;
  deleted: number;
  receives: number;
  emptyReceives: number;
  elapsedMs: number;
  generatorCpuMs: number;
  serverCpuMs: number;
  otherCpuMs: number;
}

/**
 * Fills then drains the queue `rounds` times (after an untimed warm-up
 * round, see `DrainJob.warmupMessages`); only the drains are timed, and
 * their latencies and CPU go into one total, so several short shallow rounds
 * give as steady a number as one long deep drain.
 */
export async function runDrainJob(
  job: DrainJob,
  transport: Transport,
  progress: (line: string) => void,
): Promise<JobResult> {
  const latency = new LatencyRecorder();
  const errors = new ErrorTally();
  const totals: RoundTotals = {
    requests: 0,
    deleted: 0,
    receives: 0,
    emptyReceives: 0,
    elapsedMs: 0,
    generatorCpuMs: 0,
    serverCpuMs: 0,
    otherCpuMs: 0,
  };
  let serverSampled = true;
  if (job.warmupMessages > 0) {
    // Its latencies and errors are not kept, like those of the other scenarios' warm-up.
    const fill = await runFillJob(
      { ...job, type: "fill", count: job.warmupMessages, progressEvery: job.warmupMessages },
      transport,
      () => undefined,
    );
    await drainOnce(
      { ...job, depth: fill.messages },
      transport,
      new LatencyRecorder(),
      new ErrorTally(),
    );
    progress(`warm-up: filled and drained ${fill.messages.toLocaleString("en-US")}`);
  }
  for (let round = 1; round <= job.rounds; round++) {
    const fill = await runFillJob(
      { ...job, type: "fill", count: job.depth, progressEvery: Math.max(job.depth / 2, 50_000) },
      transport,
      progress,
    );
    if (fill.firstError !== undefined) errors.add(`fill: ${fill.firstError}`, fill.errors);
    const fillRate = Math.round((fill.messages * 1000) / fill.elapsedMs).toLocaleString("en-US");
    progress(
      `round ${round}/${job.rounds}: filled ${fill.messages.toLocaleString("en-US")} (${fillRate} msg/s), draining`,
    );
    const cpu = new CpuWindow(job.serverPid);
    cpu.start();
    const drained = await drainOnce(job, transport, latency, errors);
    const usage = cpu.stop();
    totals.requests += drained.requests;
    totals.deleted += drained.deleted;
    totals.receives += drained.receives;
    totals.emptyReceives += drained.emptyReceives;
    totals.elapsedMs += drained.elapsedMs;
    totals.generatorCpuMs += usage.generatorCores * drained.elapsedMs;
    if (usage.serverCores === undefined) serverSampled = false;
    else totals.serverCpuMs += usage.serverCores * drained.elapsedMs;
    totals.otherCpuMs += (usage.otherCores ?? 0) * drained.elapsedMs;
  }
  return {
    requests: totals.requests,
    messages: totals.deleted,
    errors: errors.count,
    ...(errors.first === undefined ? {} : { firstError: errors.first }),
    elapsedMs: totals.elapsedMs,
    latency: latency.summary(),
    generatorCores: totals.generatorCpuMs / totals.elapsedMs,
    ...(serverSampled ? { serverCores: totals.serverCpuMs / totals.elapsedMs } : {}),
    otherCores: totals.otherCpuMs / totals.elapsedMs,
    extra: { receives: totals.receives, emptyReceives: totals.emptyReceives },
  };
}

/**
 * `concurrency` workers each loop ReceiveMessage(10, no wait) then
 * DeleteMessageBatch of what they got, until `depth` deletes succeeded. The
 * clock stops at the last successful delete: workers still finding the queue
 * empty while the last messages are in flight elsewhere do not count.
 */
async function drainOnce(
  job: DrainJob,
  transport: Transport,
  latency: LatencyRecorder,
  errors: ErrorTally,
): Promise<Omit<RoundTotals, "generatorCpuMs" | "serverCpuMs" | "otherCpuMs">> {
  const wire = wireFormat(job.protocol);
  const receiveHeaders = wire.headers("ReceiveMessage");
  const deleteHeaders = wire.headers("DeleteMessageBatch");
  const receive = wire.receiveBody(job.queueUrl, 0);
  const deleteBatchBody = wire.deleteBatchBodies(job.queueUrl);
  const startedAt = performance.now();
  const deadline = startedAt + job.timeoutMs;
  let requests = 0;
  let deleted = 0;
  let receives = 0;
  let emptyReceives = 0;
  let finishedAt = 0;

  const timed = async (headers: WireHeaders, body: string): Promise<WireResponse> => {
    const sentAt = performance.now();
    const answer = await transport.post(headers, body);
    requests++;
    latency.recordMs(performance.now() - sentAt);
    return answer;
  };

  const worker = async (): Promise<void> => {
    while (deleted < job.depth && performance.now() < deadline) {
      try {
        const received = await timed(receiveHeaders, receive);
        receives++;
        if (received.status !== 200) {
          errors.addResponse(received);
          await sleep(10);
          continue;
        }
        const messages = wire.receivedMessages(received.body);
        if (messages.length === 0) {
          emptyReceives++;
          continue;
        }
        const handles = messages.map((m) => m.ReceiptHandle);
        const answer = await timed(deleteHeaders, deleteBatchBody(handles));
        if (answer.status !== 200) {
          errors.addResponse(answer);
          continue;
        }
        const outcome = wire.batchOutcome(answer.body, "DeleteMessageBatch");
        if (outcome.failed > 0) errors.add(outcome.firstFailure ?? "failed delete", outcome.failed);
        deleted += outcome.succeeded;
        if (deleted >= job.depth && finishedAt === 0) finishedAt = performance.now();
      } catch (error) {
        errors.addThrown(error);
        await sleep(10);
      }
    }
  };

  await Promise.all(Array.from({ length: job.concurrency }, worker));
  if (finishedAt === 0) {
    finishedAt = performance.now();
    errors.add(
      `drain timed out: ${deleted} of ${job.depth} deleted in ${Math.round(job.timeoutMs / 1000)} s`,
    );
  }
  return { requests, deleted, receives, emptyReceives, elapsedMs: finishedAt - startedAt };
}
