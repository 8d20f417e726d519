import { DEFAULT_REGION } from "../aws/aws-connection.ts";
import type { AwsConnection } from "../aws/aws-connection.ts";
import { LocalFolderStore } from "./local-folder-store.ts";
import type { WidgetStoreOptions } from "./widget-store-options.ts";
import type { WidgetStore } from "./widget-store.ts";

/**
 * The store the options name. S3 and DynamoDB stores get their own client
 * from `connection` (unused for a folder) and close it on `close()`. Nothing
 * is contacted yet: a missing bucket or table shows on first use, as an
 * `AppError` that names it.
 *
 * The S3 and DynamoDB modules are loaded only when asked for: each SDK client
 * costs a consumer tens of MiB of memory it has no use for otherwise.
 */
export async function openWidgetStore(
  options: WidgetStoreOptions,
  connection: AwsConnection = { region: DEFAULT_REGION },
): Promise<WidgetStore> {
  switch (options.kind) {
    case "folder":
      return new LocalFolderStore(options.dir, {
        keyPrefix: options.keyPrefix,
        ownerInKey: options.ownerInKey,
      });
    case "s3": {
      const [{ S3WidgetStore }, { createS3Client }] = await Promise.all([
        import("./s3-widget-store.ts"),
        import("../aws/s3-client.ts"),
      ]);
      return new S3WidgetStore({
        s3: createS3Client(connection),
        bucket: options.bucket,
        keyPrefix: options.keyPrefix,
        ownerInKey: options.ownerInKey,
        ownsClient: true,
      });
    }
    case "dynamodb": {
      const [{ DynamoWidgetStore }, { createDynamoDocumentClient }] = await Promise.all([
        import("./dynamodb-widget-store.ts"),
        import("../aws/dynamodb-client.ts"),
      ]);
      return new DynamoWidgetStore({
        documents: createDynamoDocumentClient(connection),
        table: options.table,
        ownsClient: true,
      });
    }
  }
}
