import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig, endpointFor } from "./aws-connection.ts";
import type { AwsConnection } from "./aws-connection.ts";

export function createS3Client(connection: AwsConnection): S3Client {
  return new S3Client({
    ...clientConfig(connection, "s3"),
    // Compatible servers (s3rver, MinIO, LocalStack) want path-style URLs and
    // may not know the flexible checksums newer SDKs add by default.
    forcePathStyle: endpointFor(connection, "s3") !== undefined,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
