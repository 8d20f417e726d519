import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import type { ConsumerStats } from "../../../src/apps/consumer/consumer-stats.ts";
import { LocalFolderStore } from "../../../src/apps/stores/local-folder-store.ts";
import { REVISION_ATTRIBUTE } from "../../../src/widgets/request-position.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { applyUpdate, widgetFromCreate } from "../../../src/widgets/widget.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";

/** Temp folders of one test file; `removeTempDirs` in its `after`. */
const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-consumer-test-"));
  dirs.push(dir);
  return dir;
}

/** Consumers of one test file still running; `cleanUp` in its `after`. */
const consumers = new Set<CliProcess>();

/** Stops (SIGKILL) every consumer a failed test left running, then removes the temp folders. */
export async function cleanUp(): Promise<void> {
  await Promise.all([...consumers].map((cli) => cli.stop("SIGKILL")));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One request to put on a queue: its body and, when numbered, its `widget-revision`. */
export interface OutgoingRequest {
  readonly body: string;
  readonly revision?: number;
  /** Held on the queue this long before it can be received. */
  readonly delaySeconds?: number;
}

/** Sends the requests in order, ten per batch, with their revision as a Number attribute. */
export async function sendRequests(
  broker: TestBroker,
  queueUrl: string,
  requests: readonly OutgoingRequest[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += 10) {
    const batch = requests.slice(start, start + 10);
    const { Failed = [] } = await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((request, index) => ({
          Id: String(index),
          MessageBody: request.body,
          ...(request.delaySeconds === undefined ? {} : { DelaySeconds: request.delaySeconds }),
          ...(request.revision === undefined
            ? {}
            : {
                MessageAttributes: {
                  [REVISION_ATTRIBUTE]: {
                    DataType: "Number",
                    StringValue: String(request.revision),
                  },
                },
              }),
        })),
      }),
    );
    if (Failed.length > 0) throw new Error(`send failed: ${JSON.stringify(Failed)}`);
  }
}

/** A standard queue whose RedrivePolicy names a fresh dead-letter queue. */
export async function createQueueWithDlq(
  broker: TestBroker,
  maxReceiveCount: number,
): Promise<{ queueUrl: string; dlqUrl: string }> {
  const dlqUrl = await broker.createQueue({}, "consumer-dlq");
  const { Attributes } = await broker.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueUrl = await broker.createQueue(
    {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes!.QueueArn,
        maxReceiveCount: String(maxReceiveCount),
      }),
    },
    "consumer-requests",
  );
  return { queueUrl, dlqUrl };
}

/** Visible + in flight + delayed messages of a queue. */
export async function messagesOn(broker: TestBroker, queueUrl: string): Promise<number> {
  const counts = (await broker.messageCounts(queueUrl)) ?? {};
  return Object.values(counts).reduce((sum, count) => sum + Number(count), 0);
}

/**
 * Receives every message of a queue, hiding each for `hideSeconds` so none
 * comes twice; stops after two empty polls (or 60 polls in all).
 */
export async function receiveAll(
  broker: TestBroker,
  queueUrl: string,
  hideSeconds = 60,
): Promise<Message[]> {
  const messages: Message[] = [];
  for (let poll = 0, empty = 0; empty < 2 && poll < 60; poll += 1) {
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: hideSeconds,
        MessageAttributeNames: ["All"],
      }),
    );
    empty = Messages.length === 0 ? empty + 1 : 0;
    messages.push(...Messages);
  }
  return messages;
}

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The consumer's `--stats-file`, or `undefined` before its first write. */
export function readStats(file: string): ConsumerStats | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as ConsumerStats;
}

/** Requests that reached a final state: merged (duplicates aside) or set aside. */
export function settled(stats: ConsumerStats | undefined): number {
  if (!stats) return 0;
  const setAside = Object.values(stats.setAside).reduce((sum, count) => sum + count, 0);
  return stats.created + stats.updated + stats.deleted + setAside;
}

export interface ConsumerRun {
  readonly cli: CliProcess;
  readonly statsFile: string;
  readonly widgetDir: string;
  /** The consumer's JSON log lines (`--log-file`). */
  readonly logFile: string;
}

/**
 * Starts `mailroom consumer` as a real process with short waits (on a
 * queue) and a `--max-runtime` safety net; `args` name the source and any other flags.
 * The widgets go to a folder (`widgetDir`, a fresh one unless given), or to
 * the store `storeFlags` name instead.
 */
export function startConsumer(
  args: readonly string[],
  options: {
    widgetDir?: string;
    storeFlags?: readonly string[];
    env?: NodeJS.ProcessEnv;
    maxRuntimeMs?: number;
  } = {},
): ConsumerRun {
  const work = tempDir();
  const widgetDir = options.widgetDir ?? join(work, "widgets");
  const statsFile = join(work, "stats.json");
  const logFile = join(work, "consumer.log");
  const cli = startCli(
    [
      "consumer",
      ...args,
      ...(options.storeFlags ?? ["--widget-dir", widgetDir]),
      "--stats-file",
      statsFile,
      "--log-file",
      logFile,
      // Only a queue has a receive wait: the consumer refuses it with a bucket or folder.
      ...(args.includes("--request-queue") ? ["--queue-wait-timeout", "1"] : []),
      "--max-runtime",
      String(options.maxRuntimeMs ?? 45_000),
    ],
    { env: options.env },
  );
  consumers.add(cli);
  void cli.exited.then(() => consumers.delete(cli));
  return { cli, statsFile, widgetDir, logFile };
}

/** Requests still in a request folder: waiting, or claimed by a consumer (held for a retry too). */
export function requestsInFolder(requestDir: string): number {
  const requests = (dir: string) =>
    existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()) : [];
  const waiting = requests(requestDir).filter((entry) => !entry.name.startsWith("."));
  return waiting.length + requests(join(requestDir, ".claimed")).length;
}

/** The consumer's log so far ("" before its first line). */
export function readLog(run: ConsumerRun): string {
  return existsSync(run.logFile) ? readFileSync(run.logFile, "utf8") : "";
}

/** The widgets in a `--widget-dir`, by id. */
export async function readWidgets(widgetDir: string): Promise<Map<string, Widget>> {
  const widgets = new Map<string, Widget>();
  for await (const widget of new LocalFolderStore(widgetDir).list()) widgets.set(widget.id, widget);
  return widgets;
}

/** The course's rules applied in the given order: what a correct consumer ends with. */
export function replay(requests: readonly WidgetRequest[]): Map<string, Widget> {
  const widgets = new Map<string, Widget>();
  for (const request of requests) {
    const current = widgets.get(request.widgetId);
    if (request.type === "create") widgets.set(request.widgetId, widgetFromCreate(request));
    else if (request.type === "delete") widgets.delete(request.widgetId);
    else if (current) widgets.set(request.widgetId, applyUpdate(current, request));
  }
  return widgets;
}

/** A map as a list sorted by key, for `deepEqual` with a readable diff. */
export function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

/** The final `Consumer <pid> stopped after X s: N received: ...` line. */
export const STOPPED_LINE = /^Consumer \d+ stopped after [\d.]+ s: (\d+) received: .*$/m;

/** A valid request of the course's shape for `widgetId` (owner Mary Matthews unless given). */
export function widgetRequest(
  type: WidgetRequest["type"],
  widgetId: string,
  fields: Partial<Omit<WidgetRequest, "type" | "widgetId">> = {},
): WidgetRequest {
  return { type, requestId: randomUUID(), widgetId, owner: "Mary Matthews", ...fields };
}
