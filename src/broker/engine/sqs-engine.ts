import { assertBatchSize, assertValidBatch, runEntries } from "./batch-rules.ts";
import type { BatchResultErrorEntry } from "./batch-rules.ts";
import { systemClock } from "./clock.ts";
import type { Clock } from "./clock.ts";
import { deadLetterSources } from "./dead-letters.ts";
import type { EngineContext } from "./engine-context.ts";
import { ExpirySweeper } from "./expiry-sweeper.ts";
import { FifoQueue } from "./fifo-queue.ts";
import { shuffler } from "./shuffle.ts";
import { randomIds } from "./ids.ts";
import type { IdSource } from "./ids.ts";
import { restoreAttempts } from "./receive-attempt-records.ts";
import { changeMessageVisibility, deleteMessage } from "./message-acks.ts";
import { MessageState } from "./message-state.ts";
import { MetricsSampler, sampleQueue } from "./metrics-sampler.ts";
import type { ReceivedMessage, SendMessageRequest, SendMessageResult } from "./message-types.ts";
import { MoveTasks } from "./move-tasks.ts";
import { paginate } from "./pagination.ts";
import type { QueueLocation } from "./queue-arn.ts";
import { DEFAULT_LOCATION } from "./queue-arn.ts";
import { reportQueueAttributes } from "./queue-attribute-report.ts";
import {
  createQueue,
  deleteQueue,
  purgeQueue,
  restoreDeletedNames,
  setQueueAttributes,
} from "./queue-lifecycle.ts";
import type { CreateQueueOptions } from "./queue-lifecycle.ts";
import { addPermission, removePermission } from "./queue-permissions.ts";
import { checkStoredLocation } from "./stored-location.ts";
import { QueueRegistry } from "./queue-registry.ts";
import { METRIC_MINUTES } from "./queue-metrics.ts";
import type { MetricSeries, QueueGauges } from "./queue-metrics.ts";
import { summarizeQueue } from "./queue-summary.ts";
import type { QueueSummary } from "./queue-summary.ts";
import type { MoveTaskReport } from "../wire-types.ts";
import { mergeTags } from "./queue-tags.ts";
import { receiveMessages } from "./receive-messages.ts";
import type { ReceiveMessageRequest } from "./receive-messages.ts";
import { assertValidFifoBatch, sendBatchEntry, sendMessage } from "./send-messages.ts";
import type { BrokerStore } from "./store.ts";

export interface EngineOptions {
  store: BrokerStore;
  clock?: Clock;
  /** Source of message and move task ids. Default: random UUIDs. */
  ids?: IdSource;
  /** Region and account of the queue ARNs. Default us-east-1 / 000000000000. */
  location?: Partial<QueueLocation>;
  /** Skip the 60-second re-create and purge rules. Default false. */
  relaxedTiming?: boolean;
  /** In-flight messages per queue before OverLimit. Default 120,000, as on AWS. */
  maxInFlight?: number;
  /**
   * Standard queues answer each receive's messages in no particular order, as
   * SQS's distributed standard queues do ("best-effort ordering"), so code
   * that wrongly relies on order shows it here and not first on AWS. False
   * keeps arrival order. Default true.
   */
  bestEffortOrder?: boolean;
}

/** One queue's metrics now: running totals since the broker started, and current gauges. */
export interface QueueMetricsNow extends QueueGauges {
  name: string;
  sentTotal: number;
  sentBytesTotal: number;
  receivedTotal: number;
  deletedTotal: number;
  emptyReceivesTotal: number;
}

export interface BatchResult<T> {
  Successful: T[];
  Failed?: BatchResultErrorEntry[];
}

/**
 * The SQS engine: every action of the API as a method, on queues named by
 * name. Pure in-memory semantics over an injected store, clock and id source;
 * no I/O of its own. Methods throw SqsError for anything SQS would refuse.
 */
export class SqsEngine {
  readonly location: QueueLocation;
  private readonly ctx: EngineContext;
  private readonly queues: QueueRegistry;
  private readonly sweeper: ExpirySweeper;
  private readonly moveTasks: MoveTasks;
  private readonly sampler: MetricsSampler;
  private seq = 0;

  constructor(options: EngineOptions) {
    const clock = options.clock ?? systemClock;
    this.location = {
      region: options.location?.region ?? DEFAULT_LOCATION.region,
      accountId: options.location?.accountId ?? DEFAULT_LOCATION.accountId,
    };
    const store = options.store;
    this.queues = new QueueRegistry(this.location, clock, (work) => store.beforeCommit(work));
    this.sweeper = new ExpirySweeper(this.queues, options.store, clock);
    this.ctx = {
      store: options.store,
      clock,
      ids: options.ids ?? randomIds,
      location: this.location,
      queues: this.queues,
      relaxedTiming: options.relaxedTiming ?? false,
      maxInFlight: options.maxInFlight ?? 120_000,
      shuffle: (options.bestEffortOrder ?? true) ? shuffler(Math.random) : undefined,
      nextSeq: () => ++this.seq,
      expiresAt: (at) => this.sweeper.expiresAt(at),
    };
    this.moveTasks = new MoveTasks(this.ctx);
    this.load();
    this.sampler = new MetricsSampler(this.queues, clock);
    this.sampler.start();
  }

  // --- queues ---

  createQueue(
    name: string,
    attributes: Record<string, string> = {},
    tags: Record<string, string> = {},
    options: CreateQueueOptions = {},
  ): string {
    return createQueue(this.ctx, name, attributes, tags, options).name;
  }

  deleteQueue(name: string): void {
    const queue = this.queues.get(name);
    this.moveTasks.forgetSource(queue.arn);
    deleteQueue(this.ctx, queue);
  }

  /** Whether a queue of that name exists (a lookup by name, not a listing). */
  hasQueue(name: string): boolean {
    return this.queues.find(name) !== undefined;
  }

  /** Throws QueueDoesNotExist unless the queue exists. */
  assertQueueExists(name: string): void {
    this.queues.get(name);
  }

  listQueues(
    prefix = "",
    maxResults?: number,
    nextToken?: string,
  ): { names: string[]; nextToken?: string } {
    const names = this.queues
      .sorted()
      .map((q) => q.name)
      .filter((n) => n.startsWith(prefix));
    return paginate(names, maxResults, nextToken);
  }

  getQueueAttributes(name: string, attributeNames: string[]): Record<string, string> {
    return reportQueueAttributes(this.queues.get(name), attributeNames, this.ctx.clock.now());
  }

  setQueueAttributes(name: string, attributes: Record<string, string>): void {
    setQueueAttributes(this.ctx, this.queues.get(name), attributes);
  }

  purgeQueue(name: string): void {
    purgeQueue(this.ctx, this.queues.get(name), this.seq);
  }

  listQueueTags(name: string): Record<string, string> {
    return { ...this.queues.get(name).record.tags };
  }

  tagQueue(name: string, tags: Record<string, string>): void {
    const queue = this.queues.get(name);
    queue.record.tags = mergeTags(name, queue.record.tags, tags);
    this.ctx.store.putQueue(queue.record);
  }

  untagQueue(name: string, keys: string[]): void {
    const queue = this.queues.get(name);
    const tags = { ...queue.record.tags };
    for (const key of keys) delete tags[key];
    queue.record.tags = tags;
    this.ctx.store.putQueue(queue.record);
  }

  addPermission(name: string, label: string, accountIds: string[], actions: string[]): void {
    const queue = this.queues.get(name);
    const policy = addPermission(
      queue.record.attributes.Policy,
      queue.arn,
      label,
      accountIds,
      actions,
    );
    this.writePolicy(queue.name, policy);
  }

  removePermission(name: string, label: string): void {
    const queue = this.queues.get(name);
    this.writePolicy(
      queue.name,
      removePermission(queue.record.attributes.Policy, queue.arn, label),
    );
  }

  listDeadLetterSourceQueues(
    name: string,
    maxResults?: number,
    nextToken?: string,
  ): { names: string[]; nextToken?: string } {
    const sources = deadLetterSources(this.ctx, this.queues.get(name)).map((q) => q.name);
    return paginate(sources, maxResults, nextToken);
  }

  // --- messages ---

  sendMessage(name: string, request: SendMessageRequest, senderId: string): SendMessageResult {
    return sendMessage(this.ctx, this.queues.get(name), request, senderId);
  }

  sendMessageBatch(
    name: string,
    entries: Array<SendMessageRequest & { Id: string }>,
    senderId: string,
  ): BatchResult<SendMessageResult & { Id: string }> {
    const queue = this.queues.get(name);
    assertValidBatch("SendMessageBatchRequestEntry", entries);
    assertBatchSize(entries);
    assertValidFifoBatch(queue, entries);
    return runEntries(entries, (entry) => sendBatchEntry(this.ctx, queue, entry, senderId));
  }

  /**
   * Resolves later when it long-polls; `onWait` then receives a function that
   * ends the wait early with no messages (called only when the receive waits).
   */
  receiveMessage(
    name: string,
    request: ReceiveMessageRequest,
    onWait?: (cancel: () => void) => void,
  ): ReceivedMessage[] | Promise<ReceivedMessage[]> {
    return receiveMessages(this.ctx, this.queues.get(name), request, onWait);
  }

  deleteMessage(name: string, receiptHandle: string): void {
    deleteMessage(this.ctx, this.queues.get(name), receiptHandle, this.ctx.clock.now());
  }

  deleteMessageBatch(
    name: string,
    entries: Array<{ Id: string; ReceiptHandle: string }>,
  ): BatchResult<{ Id: string }> {
    const queue = this.queues.get(name);
    assertValidBatch("DeleteMessageBatchRequestEntry", entries);
    const now = this.ctx.clock.now();
    return runEntries(entries, (entry) => {
      deleteMessage(this.ctx, queue, entry.ReceiptHandle, now);
      return { Id: entry.Id };
    });
  }

  changeMessageVisibility(name: string, receiptHandle: string, visibilityTimeout: number): void {
    changeMessageVisibility(this.ctx, this.queues.get(name), receiptHandle, visibilityTimeout);
  }

  changeMessageVisibilityBatch(
    name: string,
    entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout?: number }>,
  ): BatchResult<{ Id: string }> {
    const queue = this.queues.get(name);
    assertValidBatch("ChangeMessageVisibilityBatchRequestEntry", entries);
    return runEntries(entries, (entry) => {
      changeMessageVisibility(this.ctx, queue, entry.ReceiptHandle, entry.VisibilityTimeout ?? 0);
      return { Id: entry.Id };
    });
  }

  // --- metrics (read-only) ---

  /** Every queue as a listing shows it, sorted by name, with its counts as of now. */
  queueSummaries(): QueueSummary[] {
    const now = this.ctx.clock.now();
    return this.queues.sorted().map((queue) => summarizeQueue(queue, now));
  }

  /**
   * One queue's last `minutes` minutes (1 to 1,440), the current one last,
   * its gauges sampled now. QueueDoesNotExist when there is no such queue.
   */
  metricSeries(name: string, minutes: number): MetricSeries {
    const queue = this.queues.get(name);
    const now = this.ctx.clock.now();
    sampleQueue(queue, now);
    return queue.metrics.series(now, Math.max(1, Math.min(minutes, METRIC_MINUTES)));
  }

  /** Every queue's running totals and current gauges, sorted by name. */
  metricsNow(): QueueMetricsNow[] {
    const now = this.ctx.clock.now();
    return this.queues.sorted().map((queue) => {
      const m = queue.metrics;
      return {
        name: queue.name,
        sentTotal: m.sentTotal,
        sentBytesTotal: m.sentBytesTotal,
        receivedTotal: m.receivedTotal,
        deletedTotal: m.deletedTotal,
        emptyReceivesTotal: m.emptyReceivesTotal,
        ...sampleQueue(queue, now),
      };
    });
  }

  // --- dead-letter redrive ---

  startMessageMoveTask(sourceArn: string, destinationArn?: string, ratePerSecond?: number): string {
    return this.moveTasks.start(sourceArn, destinationArn, ratePerSecond);
  }

  listMessageMoveTasks(sourceArn: string, maxResults?: number): MoveTaskReport[] {
    return this.moveTasks.list(sourceArn, maxResults);
  }

  cancelMessageMoveTask(taskHandle: string): number {
    return this.moveTasks.cancel(taskHandle);
  }

  /** Answers every pending long poll and stops every timer; the store stays open. */
  close(): void {
    this.moveTasks.stopAll();
    this.sweeper.stop();
    this.sampler.stop();
    for (const queue of this.queues.values()) queue.releaseWaiters();
  }

  private writePolicy(name: string, policy: string): void {
    setQueueAttributes(this.ctx, this.queues.get(name), { Policy: policy });
  }

  /** Rebuilds the in-memory state from the store. */
  private load(): void {
    const state = this.ctx.store.load();
    const now = this.ctx.clock.now();
    // Never reuse a seq, even of a message long gone: sequence numbers must
    // keep growing, and an old receipt handle must never name a new message.
    this.seq = state.highestSeq;
    for (const record of state.queues) this.queues.add(record);
    checkStoredLocation(this.queues, this.location);
    for (const record of state.messages) {
      this.seq = Math.max(this.seq, record.seq);
      const queue = this.queues.findById(record.queueId);
      if (queue) queue.add(MessageState.fromRecord(record), now);
      else this.queues.reserveId(record.queueId);
    }
    for (const entry of state.dedupEntries) {
      this.seq = Math.max(this.seq, entry.seq);
      const queue = this.queues.findById(entry.queueId);
      if (queue instanceof FifoQueue && entry.expiresAt > now) queue.dedup.remember(entry);
    }
    const records = state.engineRecords;
    restoreDeletedNames(
      this.ctx,
      records.filter((record) => record.kind === "deleted-queue-name"),
    );
    this.moveTasks.restore(
      records.filter((record) => record.kind === "move-task").map((record) => record.value),
    );
    restoreAttempts(
      this.ctx,
      records.filter((record) => record.kind === "receive-attempt"),
    );
    this.sweeper.sweep();
  }
}
