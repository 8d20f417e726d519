import { resolve } from "node:path";
import type { Logger } from "pino";
import type { AwsConnection } from "../aws/aws-connection.ts";
import { createSqsClient } from "../aws/sqs-client.ts";
import { queueNameOf, resolveQueueUrl } from "../aws/queue-url.ts";
import { makeFolder } from "../folder-problem.ts";
import { findDeadLetterQueue } from "./dead-letter-queue.ts";
import { FolderRequestSource } from "./folder-request-source.ts";
import type { RequestSource } from "./request-source.ts";
import { SqsRequestSource } from "./sqs-request-source.ts";

/** Where a consumer reads requests from (exactly one). */
export type RequestSourceOptions =
  | {
      readonly kind: "queue";
      /** Queue name or URL. */
      readonly queue: string;
      readonly waitSeconds: number;
      readonly visibilitySeconds: number;
    }
  | { readonly kind: "bucket"; readonly bucket: string }
  | {
      readonly kind: "folder";
      readonly dir: string;
      /** How long a claim lasts before another consumer may take the request back. */
      readonly leaseSeconds?: number;
    };

/**
 * Opens a source; for a queue, checks it exists and finds its dead-letter
 * queue first; for a bucket, checks it exists.
 */
export async function openRequestSource(
  options: RequestSourceOptions,
  connection: AwsConnection,
  logger: Logger,
): Promise<RequestSource> {
  switch (options.kind) {
    case "queue": {
      const sqs = createSqsClient(connection);
      const queueUrl = await resolveQueueUrl(sqs, options.queue);
      const queueName = queueNameOf(queueUrl);
      return new SqsRequestSource({
        sqs,
        queueUrl,
        queueName,
        deadLetterQueue: await findDeadLetterQueue(sqs, queueUrl),
        waitSeconds: options.waitSeconds,
        visibilitySeconds: options.visibilitySeconds,
        logger,
      });
    }
    case "bucket": {
      // Loaded only when used: the S3 client is a large module.
      const [{ BucketRequestSource }, { createS3Client }, { assertBucketExists }] =
        await Promise.all([
          import("./bucket-request-source.ts"),
          import("../aws/s3-client.ts"),
          import("../aws/bucket-exists.ts"),
        ]);
      const s3 = createS3Client(connection);
      await assertBucketExists(s3, options.bucket);
      return new BucketRequestSource({ s3, bucket: options.bucket, logger });
    }
    case "folder":
      await makeFolder(resolve(options.dir), "request folder");
      return new FolderRequestSource(options.dir, logger, { leaseSeconds: options.leaseSeconds });
  }
}
