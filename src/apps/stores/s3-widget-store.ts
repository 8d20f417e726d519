import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { PutObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import { listObjectKeys } from "../aws/list-object-keys.ts";
import type { Widget } from "../../widgets/widget.ts";
import { parseRevision, REVISION_ATTRIBUTE } from "../../widgets/request-order.ts";
import { AppError } from "../app-error.ts";
import { widgetFromJson, widgetToJson } from "./widget-json.ts";
import {
  DEFAULT_KEY_PREFIX,
  keyMatchesWidget,
  parseWidgetKey,
  safeSegment,
  widgetKey,
} from "./widget-key.ts";
import type { WidgetKeyLayout } from "./widget-key.ts";
import type { StoredWidget, WidgetRef, WidgetStore } from "./widget-store.ts";

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

/** Where deletes are remembered, at the bucket root, away from any widget prefix. */
export const S3_TOMBSTONE_PREFIX = ".mailroom/deleted/";

/** Objects fetched at once while listing: enough to hide latency, few enough to be polite. */
const LIST_FETCH_CONCURRENCY = 8;

/**
 * Widgets in an S3 bucket, as the course keeps them:
 *
 * ```
 * widgets/mary-matthews/<id>   the widget JSON (application/json), exactly the course's,
 *                              with the revision as metadata `widget-revision`
 * widgets/<id>                 the same, with ownerInKey false
 * .mailroom/deleted/<id>       tombstone: body is the revision of the delete
 * ```
 *
 * The revision rides on the widget object itself, so it changes atomically
 * with the widget. A delete first writes the tombstone, then deletes the
 * widget; `read` prefers the live widget's metadata and looks for a tombstone
 * only when there is none, so a widget written again after a delete needs no
 * cleanup. Between the two steps of a delete a reader still sees the widget
 * with its old revision: the delete is then applied twice, which is harmless.
 *
 * `remove` answers "did it exist" with a HEAD first: S3's DeleteObject does
 * not say. Two consumers deleting the same widget at once may both say yes.
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

  async read(ref: WidgetRef): Promise<StoredWidget> {
    const key = widgetKey(this.layout, ref);
    const object = await this.getObject(key);
    if (object !== undefined) {
      const widget = widgetFromJson(object.text);
      if (widget === undefined) throw new AppError(`${this.url(key)} does not hold a widget`);
      return { widget, revision: parseRevision(object.metadata[REVISION_ATTRIBUTE]) ?? 0 };
    }
    const tombstone = await this.getObject(tombstoneKey(ref.id));
    return { widget: undefined, revision: parseRevision(tombstone?.text.trim()) ?? 0 };
  }

  async write(widget: Widget, revision: number): Promise<void> {
    await this.put({
      Key: widgetKey(this.layout, widget),
      Body: widgetToJson(widget),
      ContentType: "application/json",
      ...(revision > 0 ? { Metadata: { [REVISION_ATTRIBUTE]: String(revision) } } : {}),
    });
  }

  async remove(ref: WidgetRef, revision: number): Promise<boolean> {
    const key = widgetKey(this.layout, ref);
    const existed = await this.exists(key);
    const tombstone = tombstoneKey(ref.id);
    if (revision > 0) {
      await this.put({ Key: tombstone, Body: String(revision), ContentType: "text/plain" });
    } else {
      // Revision 0 ("not numbered"): an older tombstone must not be read back.
      await this.delete(tombstone);
    }
    await this.delete(key);
    return existed;
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

  /** The widget under a listed key; `undefined` for other objects or one deleted since. */
  private async widgetAt(key: string): Promise<Widget | undefined> {
    const parsed = parseWidgetKey(this.layout, key);
    if (parsed === undefined || key.startsWith(S3_TOMBSTONE_PREFIX)) return undefined;
    const object = await this.getObject(key);
    const widget = object === undefined ? undefined : widgetFromJson(object.text);
    return widget !== undefined && keyMatchesWidget(parsed, widget) ? widget : undefined;
  }

  private async getObject(
    key: string,
  ): Promise<{ text: string; metadata: Record<string, string> } | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = (await response.Body?.transformToString("utf-8")) ?? "";
      return { text, metadata: response.Metadata ?? {} };
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return undefined;
      throw this.explain(error);
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      // HEAD responses have no body, so S3 reports a missing key only by status.
      if (httpStatus(error) === 404 && (error as Error).name !== "NoSuchBucket") return false;
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

  /** A missing bucket is a person's to fix: say so in one line, keep the SDK error as the cause. */
  private explain(error: unknown): unknown {
    if ((error as Error).name === "NoSuchBucket") {
      return new AppError(`The widget bucket ${this.bucket} does not exist`, 1, { cause: error });
    }
    return error;
  }

  private url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

function tombstoneKey(id: string): string {
  return `${S3_TOMBSTONE_PREFIX}${safeSegment(id, "widget id")}`;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
