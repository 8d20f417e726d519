import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * How the apps reach AWS or a compatible service. Without `endpointUrl` the SDK
 * talks to real AWS with credentials from the usual sources (environment,
 * `--profile`, SSO, instance roles); with it, every client goes to that
 * endpoint (the local broker, s3rver, dynalite, LocalStack...).
 */
export interface AwsConnection {
  readonly region: string;
  readonly endpointUrl?: string;
  readonly profile?: string;
  /**
   * Explicit credentials, taking precedence over every other source. For
   * compatible servers that check the key id (s3rver accepts only
   * `S3RVER`/`S3RVER`); leave unset for AWS.
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export const DEFAULT_REGION = "us-east-1";

/**
 * Local endpoints do not check signatures, yet the SDK refuses to send a
 * request without credentials. When an endpoint is given and the environment
 * names no credentials, these stand in so `--endpoint-url` works out of the box.
 */
const LOCAL_CREDENTIALS = {
  accessKeyId: "mailroom",
  secretAccessKey: "mailroom",
};

function commonConfig(connection: AwsConnection) {
  const env = process.env;
  const namesCredentials =
    connection.profile !== undefined ||
    env.AWS_ACCESS_KEY_ID !== undefined ||
    env.AWS_PROFILE !== undefined;
  return {
    region: connection.region,
    ...(connection.endpointUrl === undefined ? {} : { endpoint: connection.endpointUrl }),
    ...(connection.profile === undefined ? {} : { profile: connection.profile }),
    ...(connection.endpointUrl !== undefined && !namesCredentials
      ? { credentials: LOCAL_CREDENTIALS }
      : {}),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
  };
}

export function createSqsClient(connection: AwsConnection): SQSClient {
  return new SQSClient(commonConfig(connection));
}

export function createS3Client(connection: AwsConnection): S3Client {
  return new S3Client({
    ...commonConfig(connection),
    // Compatible servers (s3rver, MinIO, LocalStack) want path-style URLs and
    // may not know the flexible checksums newer SDKs add by default.
    forcePathStyle: connection.endpointUrl !== undefined,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export function createDynamoDocumentClient(connection: AwsConnection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(commonConfig(connection)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
