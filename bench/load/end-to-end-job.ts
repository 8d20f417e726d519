import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { CpuWindow } from "./cpu-window.ts";
import { ErrorTally } from "./error-tally.ts";
import type { EndToEndJob, JobResult } from "./jobs.ts";
import { LatencyRecorder } from "./latency.ts";
import { messageBody } from "./sqs-wire.ts";
import type { Transport } from "./transport.ts";
import { wireFormat } from "./wire-format.ts";

/**
 * Producers and consumers at once against one standard queue. Each body
 * starts with the producer's `performance.now()` when it issued the send;
 * producers and consumers share this process's clock, so receive time minus
 * that stamp is the send-to-receive latency, including the send's own round
 * trip (what an application would see).
 */
export async function runEndToEndJob(job: EndToEndJob, transport: Transport): Promise<JobResult> {
  const wire = wireFormat(job.protocol);
  const sendHeaders = wire.headers("SendMessage");
  const receiveHeaders = wire.headers("ReceiveMessage");
  const deleteHeaders = wire.headers("DeleteMessageBatch");
  const sendBody = wire.sendBodyOf(job.queueUrl);
  const deleteBatchBody = wire.deleteBatchBodies(job.queueUrl);
  const receive = wire.receiveBody(job.queueUrl, job.waitTimeSeconds);
  const endToEnd = new LatencyRecorder();
  const sendLatency = new LatencyRecorder();
  const errors = new ErrorTally();
  const cpu = new CpuWindow(job.serverPid);
  const windowStart = performance.now() + job.warmupMs;
  const windowEnd = windowStart + job.durationMs;
  const timers = cpu.schedule(job.warmupMs, job.durationMs);
  const inWindow = (t: number): boolean => t >= windowStart && t <= windowEnd;
  let seq = 0;
  let requests = 0;
  let sent = 0;
  let delivered = 0;
  let sentTotal = 0;
  let deliveredTotal = 0;

  const producer = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      const sentAt = performance.now();
      try {
        const body = sendBody(messageBody(`${sentAt.toFixed(3)};${seq++};`));
        const answer = await transport.post(sendHeaders, body);
        const doneAt = performance.now();
        if (answer.status !== 200) {
          errors.addResponse(answer);
          continue;
        }
        sentTotal++;
        if (!inWindow(doneAt)) continue;
        requests++;
        sent++;
        sendLatency.recordMs(doneAt - sentAt);
      } catch (error) {
        errors.addThrown(error);
        await sleep(10);
      }
    }
  };

  const consumer = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      try {
        const answer = await transport.post(receiveHeaders, receive);
        const receivedAt = performance.now();
        const counted = inWindow(receivedAt);
        if (counted) requests++;
        if (answer.status !== 200) {
          errors.addResponse(answer);
          await sleep(10);
          continue;
        }
        const messages = wire.receivedMessages(answer.body);
        if (messages.length === 0) continue;
        deliveredTotal += messages.length;
        if (counted) {
          delivered += messages.length;
          for (const message of messages) endToEnd.recordMs(receivedAt - parseFloat(message.Body));
        }
        const deletion = await transport.post(
          deleteHeaders,
          deleteBatchBody(messages.map((m) => m.ReceiptHandle)),
        );
        if (inWindow(performance.now())) requests++;
        if (deletion.status !== 200) errors.addResponse(deletion);
        else {
          const outcome = wire.batchOutcome(deletion.body, "DeleteMessageBatch");
          if (outcome.failed > 0)
            errors.add(outcome.firstFailure ?? "failed delete", outcome.failed);
        }
      } catch (error) {
        errors.addThrown(error);
        await sleep(10);
      }
    }
  };

  try {
    await Promise.all([
      ...Array.from({ length: job.producers }, producer),
      ...Array.from({ length: job.consumers }, consumer),
    ]);
  } finally {
    timers.cancel();
  }
  const sends = sendLatency.summary();
  return {
    requests,
    messages: delivered,
    errors: errors.count,
    ...(errors.first === undefined ? {} : { firstError: errors.first }),
    elapsedMs: job.durationMs,
    latency: endToEnd.summary(),
    ...cpu.stop(),
    extra: {
      sentPerSecond: (sent * 1000) / job.durationMs,
      sendP50Ms: sends.p50Ms,
      sendP99Ms: sends.p99Ms,
      // Sent but not yet received when the run stopped: a growing backlog means consumers fell behind.
      backlog: sentTotal - deliveredTotal,
    },
  };
}
