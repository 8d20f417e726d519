import type { Widget } from "../../widgets/widget.ts";

/** Enough to find a widget in any store (S3 keys may include the owner). */
export interface WidgetRef {
  readonly id: string;
  readonly owner: string;
}

/** What a store holds for one widget id. */
export interface StoredWidget {
  /** The widget, or `undefined` when it does not exist (never created, or deleted). */
  readonly widget: Widget | undefined;
  /**
   * Revision of the last request applied to this widget (see
   * `widgets/request-order.ts`), deletes included; 0 when the store knows of none.
   */
  readonly revision: number;
}

/**
 * Where widgets go: an S3 bucket, a DynamoDB table or a local folder. Every
 * operation is idempotent, so a retried or duplicated request is harmless.
 */
export interface WidgetStore {
  /** Name used in log lines: `Processing a CREATE request into ${kind} for <id>`. */
  readonly kind: string;
  /** Where the widgets are, for people: `s3://bucket/widgets/`, a folder path, a table name. */
  readonly location: string;
  read(ref: WidgetRef): Promise<StoredWidget>;
  /** Creates or replaces the widget; `revision` 0 means "not numbered". */
  write(widget: Widget, revision: number): Promise<void>;
  /** Makes sure the widget does not exist; returns whether it did. Remembers `revision` where the store can. */
  remove(ref: WidgetRef, revision: number): Promise<boolean>;
  /** Every widget in the store, in no particular order (summaries and tests). */
  list(): AsyncIterable<Widget>;
  close(): Promise<void>;
}
