import { DeleteCommand, GetCommand, paginateScan, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Widget } from "../../widgets/widget.ts";
import { AppError } from "../app-error.ts";
import { DEFAULT_WIDGET_TABLE } from "./ensure-widget-table.ts";
import {
  REVISION_ITEM_ATTRIBUTE,
  revisionOfItem,
  widgetFromItem,
  widgetToItem,
} from "./widget-item.ts";
import type { StoredWidget, WidgetRef, WidgetStore } from "./widget-store.ts";

/** Options of {@link DynamoWidgetStore}. */
export interface DynamoWidgetStoreOptions {
  /** A lib-dynamodb client (`createDynamoDocumentClient`). */
  readonly documents: DynamoDBDocumentClient;
  /** Default `widgets` (the course's). The table must exist: see `ensureWidgetTable`. */
  readonly table?: string;
  /** Whether `close()` shuts the client's connections (the store made it). Default false. */
  readonly ownsClient?: boolean;
}

/** Where a deleted widget's tombstone item lives: `id` is this prefix and the widget's id. */
export const DYNAMO_TOMBSTONE_PREFIX = ".mailroom/deleted/";

/**
 * Widgets as items of a DynamoDB table, one per widget, keyed by `id`, every
 * widget property a top-level attribute (see `widget-item.ts` for the layout,
 * the bookkeeping attributes and how clashing attribute names are escaped).
 *
 * The revision is an attribute of the item, so it changes atomically with
 * the widget. A delete first writes a tombstone item, `id`
 * `.mailroom/deleted/<id>` holding only `widget_revision` (as the S3 store
 * keeps `.mailroom/deleted/<id>` objects), then deletes the widget's item, so
 * that a late duplicate of the widget's create is recognised as one instead
 * of bringing the widget back. A tombstone has no `owner`: it is never listed
 * as a widget, and stays out of the owner index. `read` looks for it only
 * when the widget's item is missing, so a widget written again after a delete
 * needs no cleanup. Reads are strongly consistent, so a consumer sees the
 * write before it.
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

  async read(ref: WidgetRef): Promise<StoredWidget> {
    const Item = await this.getItem(ref.id);
    if (Item === undefined) {
      const tombstone = await this.getItem(tombstoneId(ref.id));
      return { widget: undefined, revision: tombstone ? revisionOfItem(tombstone) : 0 };
    }
    const widget = widgetFromItem(Item);
    if (widget === undefined) {
      throw new AppError(`The item ${ref.id} of table ${this.table} does not hold a widget`);
    }
    return { widget, revision: revisionOfItem(Item) };
  }

  async write(widget: Widget, revision: number): Promise<void> {
    const item = widgetToItem(widget, revision, new Date());
    await this.send(() =>
      this.documents.send(new PutCommand({ TableName: this.table, Item: item })),
    );
  }

  async remove(ref: WidgetRef, revision: number): Promise<boolean> {
    const tombstone = tombstoneId(ref.id);
    if (revision > 0) {
      const item = { id: tombstone, [REVISION_ITEM_ATTRIBUTE]: revision };
      await this.send(() =>
        this.documents.send(new PutCommand({ TableName: this.table, Item: item })),
      );
    } else {
      // Revision 0 ("not numbered"): an older tombstone must not be read back.
      await this.send(() =>
        this.documents.send(new DeleteCommand({ TableName: this.table, Key: { id: tombstone } })),
      );
    }
    const { Attributes } = await this.send(() =>
      this.documents.send(
        new DeleteCommand({ TableName: this.table, Key: { id: ref.id }, ReturnValues: "ALL_OLD" }),
      ),
    );
    return Attributes !== undefined;
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

function tombstoneId(id: string): string {
  return `${DYNAMO_TOMBSTONE_PREFIX}${id}`;
}
