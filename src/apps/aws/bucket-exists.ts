import { HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { AppError } from "../app-error.ts";
import { describeConnectionError } from "./connection-errors.ts";

/**
 * Checks at start that `bucket` exists, so that a mistyped name is one line
 * (in the course's words) rather than a failure on every request later.
 */
export async function assertBucketExists(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (statusOf(error) === 404) await assertBucketListable(s3, bucket);
    throw missingBucketError(error, bucket) ?? unusableBucketError(error, bucket);
  }
}

/**
 * A HEAD's 404 has no body: any web server (an SQS endpoint given as the S3
 * one, say) answers it so. A listing's 404 says `NoSuchBucket` only from S3,
 * so a wrong endpoint is named as such instead of blamed on the bucket.
 */
async function assertBucketListable(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  } catch (error) {
    if (error instanceof Error && error.name === "NoSuchBucket") {
      throw missingBucketError(error, bucket);
    }
    const status = statusOf(error);
    throw new AppError(
      `cannot use s3://${bucket}: the endpoint answered HTTP ${status ?? "?"}, not as S3 does (is it the right endpoint?)`,
      1,
      { cause: error },
    );
  }
}

/**
 * Any other refusal at start, in one line naming the bucket. A HEAD answer
 * has no body, so its HTTP status is all there is to go on.
 */
function unusableBucketError(error: unknown, bucket: string): unknown {
  const described = describeConnectionError(error, "S3");
  if (described !== error || !(error instanceof Error)) return described;
  const status = statusOf(error);
  const why =
    status === 403
      ? "access denied (HTTP 403): the credentials do not allow it, or the bucket is another account's"
      : status === 301
        ? "the bucket is in another region (HTTP 301): give its --region"
        : `${error.name}${status === undefined ? "" : ` (HTTP ${status})`}: ${error.message}`;
  return new AppError(`cannot use s3://${bucket}: ${why}`, 1, { cause: error });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** The course's one line for a bucket S3 says does not exist, or undefined for another error. */
export function missingBucketError(error: unknown, bucket: string): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "NoSuchBucket" || error.name === "NotFound" || statusOf(error) === 404) {
    return new AppError(`Unable to find a bucket by this name ${bucket}`, 1, { cause: error });
  }
  return undefined;
}
