import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { PutObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import { listObjectKeys } from "../aws/list-object-keys.ts";
import type { Widget } from "../../widgets/widget.ts";
import {
  EMPTY_STATE,
  joinStates,
  stateOfExistingWidget,
  visibleWidget,
} from "../../widgets/widget-state.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";
import { AppError } from "../app-error.ts";
import { quoted } from "../../widgets/quoted.ts";
import { UnstorableWidgetError } from "./unstorable-widget-error.ts";
import { widgetFromJson, widgetToJson } from "./widget-json.ts";
import { widgetStateFromJson, widgetStateToJson } from "./widget-state-json.ts";
import {
  DEFAULT_KEY_PREFIX,
  keyMatchesWidget,
  parseWidgetKey,
  safeSegment,
  widgetKey,
} from "./widget-key.ts";
import type { WidgetKeyLayout } from "./widget-key.ts";
import type { WidgetChange, WidgetRef, WidgetStore } from "./widget-store.ts";

/** Options of {@link S3WidgetStore}. */
export interface S3WidgetStoreOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Default `widgets/` (the course's). */
  readonly keyPrefix?: string;
  /** Put the owner key in the object key: `widgets/mary-matthews/<id>`. Default true. */
  readonly ownerInKey?: boolean;
  /** Whether `close()` destroys `s3` (the store made it). Default false: the caller's client. */
  readonly ownsClient?: boolean;
}

/** Where widgets' states are kept, at the bucket root, away from any widget prefix. */
export const S3_STATE_PREFIX = ".mailroom/states/";

/** S3's longest object key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
/** Objects fetched at once while listing: enough to hide latency, few enough to be polite. */
const LIST_FETCH_CONCURRENCY = 8;
/** Reads of a widget's states that may find one removed under them before giving up. */
const STATE_READ_ATTEMPTS = 5;
/** Times a consumer rewrites a widget after seeing another consumer's state appear. */
const SETTLE_ATTEMPTS = 3;

/**
 * Widgets in an S3 bucket, as the course keeps them:
 *
 * ```
 * widgets/mary-matthews/<id>         the widget JSON (application/json), exactly the course's
 * widgets/<id>                       the same, with ownerInKey false
 * .mailroom/states/<id>/<stamp>      the widget's state (widgets/widget-state.ts), one object or a few
 * ```
 *
 * S3 has no compare-and-swap every S3-compatible server offers, so a state is
 * never overwritten: a change lists the widget's state objects, joins them,
 * writes the result as a new object under a fresh stamp, then removes the
 * ones it read (its own holds all they held). Two consumers changing one
 * widget at once each leave a state; joining is commutative and idempotent
 * (a join-semilattice), so the next reader merges them and nothing is lost.
 *
 * After writing the widget, a change lists the states again: if another
 * consumer's state appeared meanwhile, it writes the widget again from the
 * join. Every state is written before its own widget write and that check,
 * so the last writer always leaves the widget of the latest states. A
 * consumer killed between its state and its widget leaves a widget one
 * request behind; the request comes back, is recognised, and the widget is
 * written again from the state.
 */
export class S3WidgetStore implements WidgetStore {
  readonly kind = "S3";
  readonly location: string;
  private readonly s3: S3Client;
  private readonly bucket: string;
  private readonly layout: WidgetKeyLayout;
  private readonly ownsClient: boolean;

  constructor(options: S3WidgetStoreOptions) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
    this.layout = {
      keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
      ownerInKey: options.ownerInKey ?? true,
    };
    this.ownsClient = options.ownsClient ?? false;
    this.location = `s3://${this.bucket}/${this.layout.keyPrefix}`;
  }

  async update(ref: WidgetRef, change: WidgetChange): Promise<void> {
    const read = await this.readStates(ref.id);
    const current = read.keys.length > 0 ? read.state : await this.stateOfObjectAt(ref);
    const next = change(current);
    if (next === undefined) {
      // Unchanged, but a consumer may have died before writing the widget of this state.
      const widget = visibleWidget(current);
      await this.writeWidget(undefined, widget, ref);
      await this.settle(ref, read.keys, widget);
      return;
    }
    // The key of the widget as it will be: an update or delete names its
    // widget by id, and the owner it names (however long) is not the widget's.
    const written = visibleWidget(next);
    if (written !== undefined) this.checkKeyLength(written);
    const ownKey = `${S3_STATE_PREFIX}${safeSegment(ref.id, "widget id")}/${newStamp()}`;
    await this.put({ Key: ownKey, Body: widgetStateToJson(next), ContentType: "application/json" });
    await Promise.all(read.keys.map((key) => this.delete(key)));
    await this.writeWidget(visibleWidget(current), written, ref);
    await this.settle(ref, [ownKey], written);
  }

  /**
   * After a widget write from the states under `keys`: if other states
   * appeared meanwhile (another consumer's change, written before or while
   * this one wrote), writes the widget again from the join of what is there,
   * so an older widget never stays written over a newer one.
   */
  private async settle(ref: WidgetRef, keys: readonly string[], written: Widget | undefined) {
    let expected = keys.join("\n");
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt += 1) {
      const again = await this.readStates(ref.id);
      if (again.keys.join("\n") === expected) return;
      const latest = visibleWidget(again.state);
      await this.writeWidget(written, latest, ref);
      written = latest;
      expected = again.keys.join("\n");
    }
  }

  async read(ref: WidgetRef): Promise<Widget | undefined> {
    const key = widgetKey(this.layout, ref);
    const object = await this.getObject(key);
    if (object === undefined) return undefined;
    const widget = widgetFromJson(object);
    if (widget === undefined) throw new AppError(`${this.url(key)} does not hold a widget`);
    return widget;
  }

  async *list(): AsyncIterable<Widget> {
    const pages = listObjectKeys(this.s3, this.bucket, { prefix: this.layout.keyPrefix });
    try {
      for await (const keys of pages) {
        for (let start = 0; start < keys.length; start += LIST_FETCH_CONCURRENCY) {
          const chunk = keys.slice(start, start + LIST_FETCH_CONCURRENCY);
          for (const widget of await Promise.all(chunk.map((key) => this.widgetAt(key)))) {
            if (widget !== undefined) yield widget;
          }
        }
      }
    } catch (error) {
      throw this.explain(error);
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.s3.destroy();
  }

  /**
   * The join of the widget's state objects, and their keys. Another consumer
   * may remove one between the listing and its read (it has written a newer
   * one): then the listing is taken again.
   */
  private async readStates(id: string): Promise<{ keys: string[]; state: WidgetState }> {
    const prefix = `${S3_STATE_PREFIX}${safeSegment(id, "widget id")}/`;
    for (let attempt = 1; ; attempt += 1) {
      const keys: string[] = [];
      try {
        for await (const page of listObjectKeys(this.s3, this.bucket, { prefix }))
          keys.push(...page);
      } catch (error) {
        throw this.explain(error);
      }
      const texts = await Promise.all(keys.map((key) => this.getObject(key)));
      if (texts.every((text) => text !== undefined) || attempt === STATE_READ_ATTEMPTS) {
        const states = texts.flatMap((text, index) =>
          text === undefined ? [] : [widgetStateFromJson(text, this.url(keys[index]!))],
        );
        return { keys, state: states.reduce(joinStates, EMPTY_STATE) };
      }
    }
  }

  /** A widget object with no state beside it was written by another program: start from it. */
  private async stateOfObjectAt(ref: WidgetRef): Promise<WidgetState> {
    // The request's owner may make a key S3 cannot hold, so no object is there.
    if (!fitsS3(widgetKey(this.layout, ref))) return EMPTY_STATE;
    const widget = await this.read(ref);
    return widget === undefined ? EMPTY_STATE : stateOfExistingWidget(widget);
  }

  /**
   * Makes the bucket show `after` where it showed `before` (its key changes
   * with a new owner). With neither, the widget is absent: its object under
   * `ref`'s key goes, whoever wrote it.
   */
  private async writeWidget(
    before: Widget | undefined,
    after: Widget | undefined,
    ref: WidgetRef,
  ): Promise<void> {
    const afterKey = after && widgetKey(this.layout, after);
    if (after !== undefined) {
      await this.put({
        Key: afterKey!,
        Body: widgetToJson(after),
        ContentType: "application/json",
      });
    }
    const beforeKey = widgetKey(this.layout, before ?? ref);
    if (beforeKey !== afterKey && fitsS3(beforeKey)) await this.delete(beforeKey);
  }

  /** The widget under a listed key; `undefined` for other objects or one deleted since. */
  private async widgetAt(key: string): Promise<Widget | undefined> {
    const parsed = parseWidgetKey(this.layout, key);
    if (parsed === undefined || key.startsWith(S3_STATE_PREFIX)) return undefined;
    const object = await this.getObject(key);
    const widget = object === undefined ? undefined : widgetFromJson(object);
    return widget !== undefined && keyMatchesWidget(parsed, widget) ? widget : undefined;
  }

  /** The object's text; `undefined` when there is no such key. */
  private async getObject(key: string): Promise<string | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await response.Body?.transformToString("utf-8")) ?? "";
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return undefined;
      throw this.explain(error);
    }
  }

  private async put(input: Omit<PutObjectCommandInput, "Bucket">): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, ...input }));
    } catch (error) {
      throw this.explain(error);
    }
  }

  private async delete(key: string): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * Refuses a widget whose key S3 could never take, before its state is
   * written: a state with no widget object possible would wait for one forever.
   */
  private checkKeyLength(widget: Widget): void {
    const key = widgetKey(this.layout, widget);
    if (!fitsS3(key)) {
      const bytes = Buffer.byteLength(key);
      throw new UnstorableWidgetError(
        `its key, with owner ${quoted(widget.owner)}, would be ${bytes} bytes, ` +
          `over S3's limit of ${MAX_KEY_BYTES}`,
      );
    }
  }

  /**
   * A missing bucket is a person's to fix: say so in one line, keep the SDK
   * error as the cause. A server with a shorter key limit than S3's says so
   * with KeyTooLongError, which no retry mends.
   */
  private explain(error: unknown): unknown {
    if ((error as Error).name === "NoSuchBucket") {
      return new AppError(`The widget bucket ${this.bucket} does not exist`, 1, { cause: error });
    }
    if ((error as Error).name === "KeyTooLongError") {
      return new UnstorableWidgetError(`its key is too long for ${this.bucket}`, { cause: error });
    }
    return error;
  }

  private url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

/** Whether S3 can hold an object under `key`: one it cannot has none to read or delete. */
function fitsS3(key: string): boolean {
  return Buffer.byteLength(key) <= MAX_KEY_BYTES;
}

/** Makes state keys unique across processes; they sort roughly by time, for people listing them. */
let stampCounter = 0;

function newStamp(): string {
  stampCounter += 1;
  return `${Date.now()}-${process.pid}-${stampCounter}-${randomBytes(4).toString("hex")}`;
}
