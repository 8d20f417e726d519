import { HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { REVISION_ATTRIBUTE } from "../../widgets/request-position.ts";
import { AppError } from "../app-error.ts";
import { describeConnectionError } from "../aws/queue-url.ts";
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
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw bucketError(error, bucket);
  }

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

  return {
    location: `s3://${bucket}`,
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
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === "NoSuchBucket" || error.name === "NotFound" || status === 404) {
    return new AppError(`Unable to find a bucket by this name ${bucket}`, 1, { cause: error });
  }
  return new AppError(`could not write to s3://${bucket}: ${error.name}: ${error.message}`, 1, {
    cause: error,
  });
}
