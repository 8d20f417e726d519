import { setTimeout as sleep } from "node:timers/promises";
import { DeleteCommand, GetCommand, paginateScan, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Widget } from "../../widgets/widget.ts";
import { AppError } from "../app-error.ts";
import { DEFAULT_WIDGET_TABLE } from "./ensure-widget-table.ts";
import { EMPTY_STATE, stateOfExistingWidget, visibleWidget } from "../../widgets/widget-state.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import { widgetFromItem, widgetToItem } from "./widget-item.ts";
import { widgetStateFromJson, widgetStateToJson } from "./widget-state-json.ts";
import type { WidgetChange, WidgetRef, WidgetStore } from "./widget-store.ts";

/** Options of {@link DynamoWidgetStore}. */
export interface DynamoWidgetStoreOptions {
  /** A lib-dynamodb client (`createDynamoDocumentClient`). */
  readonly documents: DynamoDBDocumentClient;
  /** Default `widgets` (the course's). The table must exist: see `ensureWidgetTable`. */
  readonly table?: string;
  /** Whether `close()` shuts the client's connections (the store made it). Default false. */
  readonly ownsClient?: boolean;
}

/** Where a widget's state item lives: `id` is this prefix and the widget's id. */
export const DYNAMO_STATE_PREFIX = ".mailroom/state/";
/** Attributes of a state item: the state as JSON, and a counter for conditional writes. */
const STATE_ATTRIBUTE = "widget_state";
const VERSION_ATTRIBUTE = "state_version";

/** Conditional writes of one change that may lose to other consumers before it gives up. */
const WRITE_ATTEMPTS = 20;
/** Times a consumer rewrites a widget after seeing another consumer's state win. */
const SETTLE_ATTEMPTS = 3;

/**
 * Widgets as items of a DynamoDB table, one per widget, keyed by `id`, every
 * widget property a top-level attribute (see `widget-item.ts` for the layout,
 * the bookkeeping attributes and how clashing attribute names are escaped).
 *
 * Beside each widget, a state item (`id` `.mailroom/state/<id>`, holding
 * `widget_state` and `state_version`) keeps what `widgets/widget-state.ts`
 * needs, deletes included. It has no `owner`: it is never listed as a
 * widget, and stays out of the owner index. A change reads the state item,
 * writes the next state on condition that `state_version` is still the one
 * it read (or else reads again and retries), then writes or deletes the
 * widget's item. Then it reads the state again: if another consumer's state
 * won meanwhile, it writes the widget from that one, so the last writer
 * always leaves the widget of the latest state. A consumer killed between the
 * two writes leaves a widget one request behind; the request comes back, is
 * recognised, and the widget is written again from the state. Reads are
 * strongly consistent.
 */
export class DynamoWidgetStore implements WidgetStore {
  readonly kind = "DynamoDB";
  readonly location: string;
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly ownsClient: boolean;

  constructor(options: DynamoWidgetStoreOptions) {
    this.documents = options.documents;
    this.table = options.table ?? DEFAULT_WIDGET_TABLE;
    this.ownsClient = options.ownsClient ?? false;
    this.location = this.table;
  }

  async update(ref: WidgetRef, change: WidgetChange): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.readState(ref.id);
      const current = stored?.state ?? (await this.stateOfItem(ref.id));
      const next = change(current);
      if (next === undefined) {
        // Unchanged, but a consumer may have died before writing the widget of this state.
        await this.writeWidget(ref.id, visibleWidget(current));
        return;
      }
      const version = (stored?.version ?? 0) + 1;
      if (!(await this.saveState(ref.id, next, version))) {
        if (attempt === WRITE_ATTEMPTS) {
          throw new AppError(
            `Widget ${ref.id} kept changing under ${WRITE_ATTEMPTS} attempts to change it`,
          );
        }
        // Another consumer changed it first: a short random pause keeps two from colliding again.
        await sleep(Math.random() * 5 * attempt);
        continue;
      }
      await this.writeWidget(ref.id, visibleWidget(next));
      await this.settle(ref.id, version);
      return;
    }
  }

  async read(ref: WidgetRef): Promise<Widget | undefined> {
    const item = await this.getItem(ref.id);
    if (item === undefined) return undefined;
    const widget = widgetFromItem(item);
    if (widget === undefined) {
      throw new AppError(`The item ${ref.id} of table ${this.table} does not hold a widget`);
    }
    return widget;
  }

  async *list(): AsyncIterable<Widget> {
    const pages = paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    );
    try {
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const widget = widgetFromItem(item);
          if (widget !== undefined) yield widget;
        }
      }
    } catch (error) {
      throw this.explain(error);
    }
  }

  async close(): Promise<void> {
    // A document client's destroy() leaves the connections of the client it wraps open.
    if (this.ownsClient) this.documents.config.requestHandler.destroy?.();
  }

  /** The widget's state and its version; `undefined` when no state item exists yet. */
  private async readState(
    id: string,
  ): Promise<{ state: WidgetState; version: number } | undefined> {
    const item = await this.getItem(stateId(id));
    if (item === undefined) return undefined;
    const text = item[STATE_ATTRIBUTE];
    const version = item[VERSION_ATTRIBUTE];
    const where = `The item ${stateId(id)} of table ${this.table}`;
    if (typeof text !== "string" || typeof version !== "number") {
      throw new AppError(`${where} does not hold a widget state Mailroom can read`);
    }
    return { state: widgetStateFromJson(text, where), version };
  }

  /** Writes the state as `version`, unless another consumer wrote that version first (then false). */
  private async saveState(id: string, state: WidgetState, version: number): Promise<boolean> {
    const item = {
      id: stateId(id),
      [STATE_ATTRIBUTE]: widgetStateToJson(state),
      [VERSION_ATTRIBUTE]: version,
    };
    const condition =
      version === 1
        ? { ConditionExpression: "attribute_not_exists(id)" }
        : {
            ConditionExpression: "#version = :previous",
            ExpressionAttributeNames: { "#version": VERSION_ATTRIBUTE },
            ExpressionAttributeValues: { ":previous": version - 1 },
          };
    try {
      await this.documents.send(
        new PutCommand({ TableName: this.table, Item: item, ...condition }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw this.explain(error);
    }
  }

  /** After writing the widget of state `version`: writes it again while a later state has won. */
  private async settle(id: string, version: number): Promise<void> {
    let written = version;
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt += 1) {
      const latest = await this.readState(id);
      if (latest === undefined || latest.version === written) return;
      await this.writeWidget(id, visibleWidget(latest.state));
      written = latest.version;
    }
  }

  /** An item with no state beside it was written by another program: start from it. */
  private async stateOfItem(id: string): Promise<WidgetState> {
    const item = await this.getItem(id);
    const widget = item === undefined ? undefined : widgetFromItem(item);
    return widget === undefined ? EMPTY_STATE : stateOfExistingWidget(widget);
  }

  /** Puts the widget's item, or deletes it when the widget is absent. */
  private async writeWidget(id: string, widget: Widget | undefined): Promise<void> {
    await this.send(() =>
      widget === undefined
        ? this.documents.send(new DeleteCommand({ TableName: this.table, Key: { id } }))
        : this.documents.send(
            new PutCommand({ TableName: this.table, Item: widgetToItem(widget, new Date()) }),
          ),
    );
  }

  private async getItem(id: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.send(() =>
      this.documents.send(
        new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
      ),
    );
    return Item;
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** A missing table is a person's to fix: say so in one line, keep the SDK error as the cause. */
  private explain(error: unknown): unknown {
    if ((error as Error).name === "ResourceNotFoundException") {
      return new AppError(`The DynamoDB table ${this.table} does not exist`, 1, { cause: error });
    }
    return error;
  }
}

function stateId(id: string): string {
  return `${DYNAMO_STATE_PREFIX}${id}`;
}
