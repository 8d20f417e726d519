import {
  createDynamoDocumentClient,
  createS3Client,
  DEFAULT_REGION,
} from "../aws/aws-connection.ts";
import type { AwsConnection } from "../aws/aws-connection.ts";
import { DynamoWidgetStore } from "./dynamodb-widget-store.ts";
import { LocalFolderStore } from "./local-folder-store.ts";
import { S3WidgetStore } from "./s3-widget-store.ts";
import type { WidgetStoreOptions } from "./widget-store-options.ts";
import type { WidgetStore } from "./widget-store.ts";

/**
 * The store the options name. S3 and DynamoDB stores get their own client
 * from `connection` (unused for a folder) and close it on `close()`. Nothing
 * is contacted yet: a missing bucket or table shows on first use, as an
 * `AppError` that names it.
 */
export function openWidgetStore(
  options: WidgetStoreOptions,
  connection: AwsConnection = { region: DEFAULT_REGION },
): WidgetStore {
  switch (options.kind) {
    case "folder":
      return new LocalFolderStore(options.dir, {
        keyPrefix: options.keyPrefix,
        ownerInKey: options.ownerInKey,
      });
    case "s3":
      return new S3WidgetStore({
        s3: createS3Client(connection),
        bucket: options.bucket,
        keyPrefix: options.keyPrefix,
        ownerInKey: options.ownerInKey,
        ownsClient: true,
      });
    case "dynamodb":
      return new DynamoWidgetStore({
        documents: createDynamoDocumentClient(connection),
        table: options.table,
        ownsClient: true,
      });
  }
}
