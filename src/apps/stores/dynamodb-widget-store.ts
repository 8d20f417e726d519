import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DeleteCommand, GetCommand, paginateScan, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Widget } from "../../widgets/widget.ts";
import { AppError } from "../app-error.ts";
import { DEFAULT_WIDGET_TABLE } from "./ensure-widget-table.ts";
import {
  EMPTY_STATE,
  joinStates,
  stateOfExistingWidget,
  visibleWidget,
} from "../../widgets/widget-state.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import {
  STATE_ITEM_ATTRIBUTE,
  VERSION_ITEM_ATTRIBUTE,
  widgetFromItem,
  widgetToItem,
} from "./widget-item.ts";
import type { WidgetItem } from "./widget-item.ts";
import { widgetStateFromJson, widgetStateToJson } from "./widget-state-json.ts";
import type { WidgetChange, WidgetRef, WidgetStore } from "./widget-store.ts";
import { UnstorableWidgetError } from "./unstorable-widget-error.ts";

/** Options of {@link DynamoWidgetStore}. */
export interface DynamoWidgetStoreOptions {
  /** A lib-dynamodb client (`createDynamoDocumentClient`). */
  readonly documents: DynamoDBDocumentClient;
  /** Default `widgets` (the course's). The table must exist: see `ensureWidgetTable`. */
  readonly table?: string;
  /** Whether `close()` shuts the client's connections (the store made it). Default false. */
  readonly ownsClient?: boolean;
}

/** Where an absent widget's state lives: a tombstone item whose `id` is this prefix and the widget's id. */
export const DYNAMO_TOMBSTONE_PREFIX = ".mailroom/deleted/";

/** Conditional writes of one change that may lose to other consumers before it gives up. */
const WRITE_ATTEMPTS = 20;

/** How DynamoDB (and dynalite) refuse an item over 400 KB, on PutItem and UpdateItem alike. */
const ITEM_TOO_LARGE = /exceeded the maximum allowed size/;

/** A version as an item holds it: Mailroom's own are random ids; earlier releases counted. */
type Version = string | number;

/** An item as read, with the version its next conditional write must find. */
interface VersionedItem {
  readonly item: WidgetItem | undefined;
  /** `undefined`: no item, or one another program wrote without a version. */
  readonly version: Version | undefined;
}

/**
 * Widgets as items of a DynamoDB table, one per widget, keyed by `id`, every
 * widget property a top-level attribute (see `widget-item.ts` for the layout,
 * the bookkeeping attributes and how clashing attribute names are escaped).
 *
 * The widget's state (`widgets/widget-state.ts`) rides on its own item, as
 * the bookkeeping attributes `widget_state` and `state_version`, so a change
 * of a live widget is one conditional put: the widget and its state change
 * together, on condition that the version is still the one read (or else
 * read again and retry). Every write gives its item a new random version,
 * never a count: a count starts again when an item is deleted and written
 * anew, so a consumer holding an old read of a widget since deleted and
 * created again would find "its" version and overwrite the newer widget.
 *
 * A widget that does not exist has no item; its state goes to a tombstone
 * item, `id` `.mailroom/deleted/<id>` (no `owner`: never listed as a widget,
 * out of the owner index), so a late copy of its create is recognised. A
 * change reads both items and joins their states (the join is idempotent, so
 * an outdated tombstone beside a live widget is harmless). A delete writes
 * the tombstone first and then deletes the widget's item on
 * condition of its version; a create after a delete removes the tombstone,
 * on condition of its version, once the widget's item is written; a change
 * that found no other item checks after its write that none appeared
 * (`removeAsRead`). When a condition fails, the change starts over from a
 * fresh read. A consumer killed between two of these writes leaves an item
 * behind its state; the request comes back, is recognised, and the items are
 * put right. Reads are strongly consistent.
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
      const [live, tombstone] = await Promise.all([
        this.getVersioned(ref.id),
        this.getVersioned(tombstoneId(ref.id)),
      ]);
      const current = joinStates(this.stateOf(live, ref.id), this.stateOf(tombstone, ref.id));
      // Unchanged: still put the items right, in case a consumer died half way through.
      const next = change(current) ?? current;
      if (await this.save(ref.id, next, live, tombstone)) return;
      if (attempt === WRITE_ATTEMPTS) {
        throw new AppError(
          `Widget ${ref.id} kept changing under ${WRITE_ATTEMPTS} attempts to change it`,
        );
      }
      // Another consumer changed it first: a short random pause keeps two from colliding again.
      await sleep(Math.random() * 5 * attempt);
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

  /**
   * Makes the items hold `state`: the widget's item with it when the widget
   * is visible (then a tombstone is dropped), else the tombstone with it and
   * no widget item. False when another consumer changed an item first.
   */
  private async save(
    id: string,
    state: WidgetState,
    live: VersionedItem,
    tombstone: VersionedItem,
  ): Promise<boolean> {
    const widget = visibleWidget(state);
    if (widget !== undefined) {
      const item = {
        ...widgetToItem(widget, new Date()),
        [STATE_ITEM_ATTRIBUTE]: widgetStateToJson(state),
        [VERSION_ITEM_ATTRIBUTE]: randomUUID(),
      };
      if (!sameState(live.item, state) && !(await this.putIf(item, live.version))) return false;
      return this.removeAsRead(tombstoneId(id), tombstone);
    }
    if (!sameState(tombstone.item, state)) {
      const item = {
        id: tombstoneId(id),
        [STATE_ITEM_ATTRIBUTE]: widgetStateToJson(state),
        [VERSION_ITEM_ATTRIBUTE]: randomUUID(),
      };
      if (!(await this.putIf(item, tombstone.version))) return false;
    }
    return this.removeAsRead(id, live);
  }

  /**
   * Removes the other item of the pair, as it was read; false when it
   * changed since. With no transactions across items, a consumer that read
   * no such item looks again after its own write: of two consumers writing
   * one item each, at least one sees the other's and starts over.
   */
  private async removeAsRead(id: string, read: VersionedItem): Promise<boolean> {
    if (read.item === undefined) return (await this.getItem(id)) === undefined;
    return this.deleteIf(id, read.version);
  }

  /** The state an item holds; a widget item without one (another program's) starts from its widget. */
  private stateOf({ item }: VersionedItem, id: string): WidgetState {
    if (item === undefined) return EMPTY_STATE;
    const text = item[STATE_ITEM_ATTRIBUTE];
    if (typeof text === "string") {
      return widgetStateFromJson(text, `The item ${String(item.id)} of table ${this.table}`);
    }
    const widget = widgetFromItem(item);
    if (widget === undefined) {
      throw new AppError(`The item ${id} of table ${this.table} does not hold a widget`);
    }
    return stateOfExistingWidget(widget);
  }

  private async getVersioned(id: string): Promise<VersionedItem> {
    const item = await this.getItem(id);
    const version = item?.[VERSION_ITEM_ATTRIBUTE];
    return {
      item,
      version: typeof version === "string" || typeof version === "number" ? version : undefined,
    };
  }

  /** Puts the item if its version is still `version` (`undefined`: no versioned item there). */
  private async putIf(item: WidgetItem, version: Version | undefined): Promise<boolean> {
    return this.conditionally(
      () => new PutCommand({ TableName: this.table, Item: item, ...versionCondition(version) }),
    );
  }

  /** Deletes the item if its version is still `version`. */
  private async deleteIf(id: string, version: Version | undefined): Promise<boolean> {
    return this.conditionally(
      () => new DeleteCommand({ TableName: this.table, Key: { id }, ...versionCondition(version) }),
    );
  }

  private async conditionally(command: () => PutCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.documents.send(command() as PutCommand);
      return true;
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw this.explain(error);
    }
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

  /**
   * A missing table is a person's to fix: say so in one line, keep the SDK
   * error as the cause. An item over DynamoDB's size limit is refused
   * whenever it is tried: the widget is unstorable.
   */
  private explain(error: unknown): unknown {
    const { name, message } = error as Error;
    if (name === "ResourceNotFoundException") {
      return new AppError(`The DynamoDB table ${this.table} does not exist`, 1, { cause: error });
    }
    if (name === "ValidationException" && ITEM_TOO_LARGE.test(message)) {
      return new UnstorableWidgetError(
        `its item in ${this.table} would be over DynamoDB's item size limit of 400 KB ` +
          `(${message})`,
        { cause: error },
      );
    }
    return error;
  }
}

function tombstoneId(id: string): string {
  return `${DYNAMO_TOMBSTONE_PREFIX}${id}`;
}

/**
 * `undefined` means "no versioned item there": none at all, or one another
 * program wrote without a version, which is then replaced as it was read.
 * That condition can hold again after an item came and went, which loses
 * nothing: a widget's state leaves an item only once the other item holds it.
 */
function versionCondition(version: Version | undefined) {
  return version === undefined
    ? {
        ConditionExpression: "attribute_not_exists(#version)",
        ExpressionAttributeNames: { "#version": VERSION_ITEM_ATTRIBUTE },
      }
    : {
        ConditionExpression: "#version = :version",
        ExpressionAttributeNames: { "#version": VERSION_ITEM_ATTRIBUTE },
        ExpressionAttributeValues: { ":version": version },
      };
}

/** Whether the item already holds exactly this state. */
function sameState(item: WidgetItem | undefined, state: WidgetState): boolean {
  return item?.[STATE_ITEM_ATTRIBUTE] === widgetStateToJson(state);
}
