import { HeadBucketCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { AppError } from "../app-error.ts";
import { describeConnectionError } from "./queue-url.ts";

/**
 * Checks at start that `bucket` exists, so that a mistyped name is one line
 * (in the course's words) rather than a failure on every request later.
 */
export async function assertBucketExists(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw missingBucketError(error, bucket) ?? describeConnectionError(error, "S3");
  }
}

/** The course's one line for a bucket S3 says does not exist, or undefined for another error. */
export function missingBucketError(error: unknown, bucket: string): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === "NoSuchBucket" || error.name === "NotFound" || status === 404) {
    return new AppError(`Unable to find a bucket by this name ${bucket}`, 1, { cause: error });
  }
  return undefined;
}
