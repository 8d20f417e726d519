/**
 * Which widget store a consumer writes to, as the CLI's flags choose it:
 * `--widget-dir`, `--widget-bucket/-wb` with `--widget-key-prefix/-wkp` and
 * `--use-owner-in-prefix/-uop`, or `--dynamodb-widget-table/-dwt`.
 * `openWidgetStore` turns one into a store.
 */
export type WidgetStoreOptions = FolderStoreOptions | S3StoreOptions | DynamoStoreOptions;

/** Widgets as files under `dir`, laid out like the bucket (see `LocalFolderStore`). */
export interface FolderStoreOptions {
  readonly kind: "folder";
  readonly dir: string;
  /** Default `widgets/`. */
  readonly keyPrefix?: string;
  /** Default true: `widgets/mary-matthews/<id>`. */
  readonly ownerInKey?: boolean;
}

/** Widgets as objects of a bucket (see `S3WidgetStore`). */
export interface S3StoreOptions {
  readonly kind: "s3";
  readonly bucket: string;
  /** Default `widgets/`. */
  readonly keyPrefix?: string;
  /** Default true: `widgets/mary-matthews/<id>`. */
  readonly ownerInKey?: boolean;
}

/** Widgets as items of a table (see `DynamoWidgetStore`); the table must exist. */
export interface DynamoStoreOptions {
  readonly kind: "dynamodb";
  /** Default `widgets`. */
  readonly table?: string;
}
