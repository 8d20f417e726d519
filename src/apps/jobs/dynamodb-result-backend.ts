import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  paginateQuery,
  paginateScan,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AppError } from "../app-error.ts";
import { ensureTable } from "../aws/ensure-table.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { JOB_STATUSES } from "./job-record.ts";
import type { JobRecord, JobStatus } from "./job-record.ts";
import type { QueuedJob, ResultBackend } from "./result-backend.ts";

export const DEFAULT_RESULTS_TABLE = "mailroom-jobs";
/** Jobs of one coalescing key by version (for `latestVersion`). */
export const BY_KEY_INDEX = "coalesceKey-version-index";
/** Jobs of one task by enqueue time (for `list` and `countByStatus`). */
export const BY_TASK_INDEX = "task-enqueuedAt-index";

/** Statuses that later writes of a retry or a late duplicate must not undo. */
const NOT_FINAL = "#status IN (:queued, :started, :retrying)";
const NOT_FINAL_VALUES = { ":queued": "queued", ":started": "started", ":retrying": "retrying" };

export interface DynamoResultBackendOptions {
  readonly documents: DynamoDBDocumentClient;
  /** Default `mailroom-jobs`; see {@link ensureResultsTable}. */
  readonly table?: string;
  /** Whether `close()` destroys the client. Default false. */
  readonly ownsClient?: boolean;
}

/**
 * Job records in a DynamoDB table, one item per job (its attributes those of
 * {@link JobRecord}), for an app and workers on different machines. Each
 * status change is one conditional UpdateItem, so a late or repeated write
 * never undoes a final status; reads of single jobs are strongly consistent,
 * `latestVersion` reads an index (eventually consistent: a moment's lag costs
 * at most a render that a newer version made unnecessary).
 */
export class DynamoResultBackend implements ResultBackend {
  readonly location: string;
  private readonly table: string;

  constructor(private readonly options: DynamoResultBackendOptions) {
    this.table = options.table ?? DEFAULT_RESULTS_TABLE;
    this.location = `DynamoDB table ${this.table}`;
  }

  async queued(job: QueuedJob): Promise<void> {
    const item: Record<string, unknown> = {
      id: job.id,
      task: job.task,
      status: "queued",
      attempts: 0,
      enqueuedAt: job.enqueuedAt,
      updatedAt: job.enqueuedAt,
      ...(job.coalesceKey === undefined
        ? {}
        : { coalesceKey: job.coalesceKey, version: job.version }),
    };
    await this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: item,
        ConditionExpression: "attribute_not_exists(id)",
      }),
    );
  }

  started(id: string, attempt: number, at: number): Promise<void> {
    return this.update(
      id,
      "SET #status = :to, attempts = :attempt, startedAt = :at, updatedAt = :at",
      NOT_FINAL,
      {
        ":to": "started",
        ":attempt": attempt,
        ":at": at,
        ...NOT_FINAL_VALUES,
      },
    );
  }

  retrying(id: string, error: string, at: number): Promise<void> {
    return this.update(id, "SET #status = :to, #error = :error, updatedAt = :at", NOT_FINAL, {
      ":to": "retrying",
      ":error": error,
      ":at": at,
      ...NOT_FINAL_VALUES,
    });
  }

  succeeded(id: string, result: unknown, at: number): Promise<void> {
    return this.update(
      id,
      "SET #status = :to, #result = :result, finishedAt = :at, updatedAt = :at REMOVE #error",
      "attribute_exists(id)",
      { ":to": "succeeded", ":result": JSON.stringify(result ?? null), ":at": at },
    );
  }

  failed(id: string, error: string, at: number): Promise<void> {
    return this.update(
      id,
      "SET #status = :to, #error = :error, finishedAt = :at, updatedAt = :at",
      "attribute_exists(id) AND #status <> :succeeded",
      { ":to": "failed", ":error": error, ":at": at, ":succeeded": "succeeded" },
    );
  }

  superseded(id: string, reason: string, at: number): Promise<void> {
    return this.update(
      id,
      "SET #status = :to, #error = :error, finishedAt = :at, updatedAt = :at",
      NOT_FINAL,
      { ":to": "superseded", ":error": reason, ":at": at, ...NOT_FINAL_VALUES },
    );
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { Item } = await this.call(() =>
      this.options.documents.send(
        new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
      ),
    );
    return Item === undefined ? undefined : recordOf(Item);
  }

  async latestVersion(key: string): Promise<number | undefined> {
    const pages = paginateQuery(
      { client: this.options.documents, pageSize: 10 },
      {
        TableName: this.table,
        IndexName: BY_KEY_INDEX,
        KeyConditionExpression: "coalesceKey = :key",
        // A job whose message was never sent (failed with no attempt) supersedes nothing.
        FilterExpression: "NOT (#status = :failed AND attempts = :zero)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":key": key, ":failed": "failed", ":zero": 0 },
        ScanIndexForward: false,
      },
    );
    for await (const item of this.items(pages)) return Number(item.version);
    return undefined;
  }

  async list(filter: { task: string; status?: JobStatus; limit?: number }): Promise<JobRecord[]> {
    const limit = filter.limit ?? 10_000;
    const found: JobRecord[] = [];
    for await (const item of this.byTask(filter.task, filter.status)) {
      found.push(recordOf(item));
      if (found.length >= limit) break;
    }
    return found;
  }

  async countByStatus(task?: string): Promise<Record<JobStatus, number>> {
    const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<
      JobStatus,
      number
    >;
    const items = task === undefined ? this.scanStatuses() : this.byTask(task);
    for await (const item of items) counts[item.status as JobStatus] += 1;
    return counts;
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) this.options.documents.destroy();
  }

  private byTask(task: string, status?: JobStatus): AsyncIterable<Record<string, unknown>> {
    return this.items(
      paginateQuery(
        { client: this.options.documents },
        {
          TableName: this.table,
          IndexName: BY_TASK_INDEX,
          KeyConditionExpression: "task = :task",
          ExpressionAttributeValues: {
            ":task": task,
            ...(status === undefined ? {} : { ":status": status }),
          },
          ...(status === undefined
            ? {}
            : {
                FilterExpression: "#status = :status",
                ExpressionAttributeNames: { "#status": "status" },
              }),
        },
      ),
    );
  }

  private scanStatuses(): AsyncIterable<Record<string, unknown>> {
    return this.items(
      paginateScan(
        { client: this.options.documents },
        {
          TableName: this.table,
          ProjectionExpression: "#status",
          ExpressionAttributeNames: { "#status": "status" },
        },
      ),
    );
  }

  /** The items of every page, in order, with errors explained. */
  private async *items(
    pages: AsyncIterable<{ Items?: Record<string, unknown>[] }>,
  ): AsyncGenerator<Record<string, unknown>> {
    try {
      for await (const page of pages) yield* page.Items ?? [];
    } catch (error) {
      throw this.explain(error);
    }
  }

  private update(
    id: string,
    expression: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    const names: Record<string, string> = { "#status": "status" };
    if (expression.includes("#error")) names["#error"] = "error";
    if (expression.includes("#result")) names["#result"] = "result";
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** A write whose condition may fail: then the record is already past it, which is fine. */
  private async conditional(command: PutCommand | UpdateCommand): Promise<void> {
    try {
      await this.options.documents.send(command as UpdateCommand);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw this.explain(error);
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): unknown {
    if ((error as Error).name === "ResourceNotFoundException") {
      return new AppError(`the results table ${this.table} does not exist`, 1, { cause: error });
    }
    return describeConnectionError(error, "DynamoDB");
  }
}

/**
 * Makes sure the results table exists and is ACTIVE (on-demand capacity,
 * partition key `id`, the two indexes); an existing table is used as it is.
 */
export async function ensureResultsTable(
  client: DynamoDBClient,
  table: string = DEFAULT_RESULTS_TABLE,
): Promise<void> {
  await ensureTable(client, {
    TableName: table,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" },
      { AttributeName: "coalesceKey", AttributeType: "S" },
      { AttributeName: "version", AttributeType: "N" },
      { AttributeName: "task", AttributeType: "S" },
      { AttributeName: "enqueuedAt", AttributeType: "N" },
    ],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_KEY_INDEX,
        KeySchema: [
          { AttributeName: "coalesceKey", KeyType: "HASH" },
          { AttributeName: "version", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["status", "attempts"] },
      },
      {
        IndexName: BY_TASK_INDEX,
        KeySchema: [
          { AttributeName: "task", KeyType: "HASH" },
          { AttributeName: "enqueuedAt", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  });
}

function recordOf(item: Record<string, unknown>): JobRecord {
  const optional = <K extends string>(key: K, value: unknown) =>
    value === undefined || value === null ? {} : { [key]: value };
  return {
    id: String(item.id),
    task: String(item.task),
    status: item.status as JobStatus,
    attempts: Number(item.attempts ?? 0),
    ...(typeof item.result === "string" ? { result: JSON.parse(item.result) as unknown } : {}),
    ...optional("error", item.error),
    ...optional("coalesceKey", item.coalesceKey),
    ...(item.version === undefined ? {} : { version: Number(item.version) }),
    enqueuedAt: Number(item.enqueuedAt),
    ...(item.startedAt === undefined ? {} : { startedAt: Number(item.startedAt) }),
    ...(item.finishedAt === undefined ? {} : { finishedAt: Number(item.finishedAt) }),
    updatedAt: Number(item.updatedAt),
  };
}
