import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { REVISION_ATTRIBUTE } from "../../widgets/request-position.ts";
import { AppError } from "../app-error.ts";
import { assertBucketExists, missingBucketError } from "../aws/bucket-exists.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import type { GeneratedRequest } from "./request-generator.ts";
import type { RequestSink } from "./request-sink.ts";

export interface S3RequestSinkOptions {
  readonly s3: S3Client;
  /** The request bucket; it must exist. */
  readonly bucket: string;
}

/**
 * Writes each request as one object of the request bucket, as the course's
 * producer does: key = the request's millisecond timestamp key (so listing
 * the bucket gives production order), body = the request JSON, user metadata
 * `widget-revision` = its revision (`x-amz-meta-widget-revision`).
 */
export async function openS3RequestSink(options: S3RequestSinkOptions): Promise<RequestSink> {
  const { s3, bucket } = options;
  await assertBucketExists(s3, bucket);

  const put = async (request: GeneratedRequest): Promise<void> => {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: request.key,
          Body: request.body,
          ContentType: "application/json",
          Metadata: { [REVISION_ATTRIBUTE]: String(request.revision) },
        }),
      );
    } catch (error) {
      throw bucketError(error, bucket);
    }
  };

  let latestKey: number;
  try {
    latestKey = await latestKeyAhead(s3, bucket, Date.now());
  } catch (error) {
    // A producer allowed to put but not to list: keys ahead of the clock go unseen.
    if (!(error instanceof Error && error.name === "AccessDenied"))
      throw bucketError(error, bucket);
    latestKey = 0;
  }

  return {
    location: `s3://${bucket}`,
    latestKey,
    // Puts of one batch run together: consumers order each widget's requests
    // by revision, so a few milliseconds of overlap in listing order is harmless.
    async send(requests) {
      await Promise.all(requests.map(put));
    },
  };
}

function bucketError(error: unknown, bucket: string): unknown {
  const described = describeConnectionError(error, "S3");
  if (described !== error || !(error instanceof Error)) return described;
  const missing = missingBucketError(error, bucket);
  if (missing !== undefined) return missing;
  return new AppError(`could not write to s3://${bucket}: ${error.name}: ${error.message}`, 1, {
    cause: error,
  });
}

/**
 * The largest request key after `now` in the bucket (0 if none): only keys
 * ahead of the clock can meet this run's. Listed from `now` on; digits sort
 * before letters, so the first key that is not a number ends the search.
 */
async function latestKeyAhead(s3: S3Client, bucket: string, now: number): Promise<number> {
  let latest = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        StartAfter: String(now),
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const { Key = "" } of page.Contents ?? []) {
      if (!/^\d{1,15}$/.test(Key)) return latest;
      latest = Math.max(latest, Number(Key));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return latest;
}
