/**
 * The widget pipeline's throughput: requests queued on a durable broker (its
 * own process), then 1, 2 or 4 `mailroom consumer` processes draining them
 * into a local folder store, exactly as users run them. The rate is taken
 * between the first and the last "Processing" log line of all consumers, so
 * process start-up (a second or two of TypeScript loading) is not counted.
 *
 * Beside them, the same requests drained by the AWS SDK alone (receive 10,
 * delete the batch, no widget work): the most any consumer written on the
 * SDK can reach on this machine, which puts the consumers' rate in context.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { createSqsClient } from "../../src/apps/aws/sqs-client.ts";
import { openSqsRequestSink } from "../../src/apps/producer/sqs-request-sink.ts";
import { runProducer } from "../../src/apps/producer/run-producer.ts";
import { messagesLeft } from "../../src/cli/pipeline/queue-activity.ts";
import { readMemory } from "../proc-stats.ts";
import { freePort } from "../servers/free-port.ts";
import { startMailroomServer } from "../targets/mailroom.ts";

const MAILROOM_BIN = fileURLToPath(new URL("../../bin/mailroom.js", import.meta.url));
/** A run that has not drained by then is reported as failed rather than waited on forever. */
const DRAIN_LIMIT_MS = 300_000;

export interface PipelineRun {
  readonly consumers: number;
  readonly requests: number;
  /** Requests processed per second between the first and the last one. */
  readonly widgetsPerSecond: number;
  /** Highest VmHWM (peak resident memory) of any consumer in the run, MiB. */
  readonly peakConsumerRssMiB: number;
  /** Queue depth when the consumers started. */
  readonly queueDepth: number;
}

export interface PipelineResults {
  readonly runs: PipelineRun[];
  /** Messages/s the AWS SDK alone receives and deletes (see the module comment). */
  readonly sdkOnlyMessagesPerSecond: number;
}

export async function benchPipeline(
  consumerCounts: readonly number[],
  requests: number,
  progress: (line: string) => void,
): Promise<PipelineResults> {
  // Every run's folder is kept until the end: on a file system without a
  // journal (this machine's ext4), creating files right after deleting tens of
  // thousands costs up to 1 ms each for about a minute (the kernel skips
  // recently freed inodes one by one), so one run's clean-up would slow the next.
  const work = mkdtempSync(join(tmpdir(), "mailroom-bench-pipeline-"));
  try {
    const runs: PipelineRun[] = [];
    for (const consumers of consumerCounts) {
      progress(`pipeline: ${requests} requests, ${consumers} consumer process(es)...`);
      runs.push(await runOnce(join(work, `consumers-${consumers}`), consumers, requests));
      const run = runs.at(-1)!;
      progress(
        `pipeline: ${consumers} consumer(s): ${Math.round(run.widgetsPerSecond)} widgets/s, consumer peak RSS ${run.peakConsumerRssMiB.toFixed(0)} MiB`,
      );
    }
    progress(`pipeline: ${requests} requests drained by the AWS SDK alone...`);
    const sdkOnlyMessagesPerSecond = await drainWithSdkOnly(join(work, "sdk-only"), requests);
    progress(`pipeline: the AWS SDK alone: ${Math.round(sdkOnlyMessagesPerSecond)} msg/s`);
    return { runs, sdkOnlyMessagesPerSecond };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A durable broker in its own process with the producer's requests queued on it. */
async function startLoadedBroker(work: string, requests: number) {
  mkdirSync(work, { recursive: true });
  const port = await freePort();
  const broker = await startMailroomServer(port, join(work, "broker"));
  const endpointUrl = `http://127.0.0.1:${port}`;
  const sqs = createSqsClient({ region: "us-east-1", endpointUrl });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "bench-requests" }));
    const sink = await openSqsRequestSink({ sqs, queue: QueueUrl! });
    await runProducer({ count: requests, interRequestDelayMs: 0, seed: 5260, sinks: [sink] });
    return { broker, sqs, endpointUrl, queueUrl: QueueUrl! };
  } catch (error) {
    sqs.destroy();
    await broker.stop();
    throw error;
  }
}

async function runOnce(
  work: string,
  consumerCount: number,
  requests: number,
): Promise<PipelineRun> {
  const { broker, sqs, endpointUrl, queueUrl: QueueUrl } = await startLoadedBroker(work, requests);
  const consumers: ChildProcess[] = [];
  try {
    const queueDepth = await messagesLeft(sqs, QueueUrl);

    for (let index = 0; index < consumerCount; index += 1) {
      consumers.push(
        spawnConsumer([
          "--request-queue",
          QueueUrl,
          "--endpoint-url",
          endpointUrl,
          "--widget-dir",
          join(work, "widgets"),
          "--queue-wait-timeout",
          "1",
          "--log-file",
          join(work, `consumer-${index}.log`),
        ]),
      );
    }
    let peak = 0;
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    while ((await messagesLeft(sqs, QueueUrl)) > 0) {
      if (Date.now() > deadline) throw new Error("the consumers did not drain the queue in time");
      for (const consumer of consumers)
        peak = Math.max(peak, readMemory(consumer.pid!)?.peakRssMiB ?? 0);
      await sleep(100);
    }
    for (const consumer of consumers)
      peak = Math.max(peak, readMemory(consumer.pid!)?.peakRssMiB ?? 0);
    await Promise.all(consumers.map((consumer) => stop(consumer)));
    return {
      consumers: consumerCount,
      requests,
      widgetsPerSecond: processingRate(work, consumerCount),
      peakConsumerRssMiB: peak,
      queueDepth,
    };
  } finally {
    for (const consumer of consumers) consumer.kill("SIGKILL");
    sqs.destroy();
    await broker.stop();
  }
}

/** Four receive-10 + delete-batch loops in this process until the queue is empty; messages/s. */
async function drainWithSdkOnly(work: string, requests: number): Promise<number> {
  const { broker, sqs, queueUrl } = await startLoadedBroker(work, requests);
  try {
    let drained = 0;
    const started = performance.now();
    const loop = async () => {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
        );
        if (Messages.length === 0) return;
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle!,
            })),
          }),
        );
        drained += Messages.length;
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    return drained / ((performance.now() - started) / 1000);
  } finally {
    sqs.destroy();
    await broker.stop();
  }
}

/** Requests per second between the first and last "Processing" lines of all consumer logs. */
function processingRate(work: string, consumerCount: number): number {
  const times: number[] = [];
  for (let index = 0; index < consumerCount; index += 1) {
    for (const line of readFileSync(join(work, `consumer-${index}.log`), "utf8").split("\n")) {
      if (line.includes('"msg":"Processing '))
        times.push((JSON.parse(line) as { time: number }).time);
    }
  }
  if (times.length < 2) return 0;
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return seconds > 0 ? times.length / seconds : 0;
}

/** A `mailroom consumer` process; it logs to its --log-file, so its own output is not kept. */
function spawnConsumer(args: string[]): ChildProcess {
  return spawn(process.execPath, [MAILROOM_BIN, "consumer", ...args], { stdio: "ignore" });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
