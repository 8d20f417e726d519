/** The services the apps use, for per-service endpoints. */
export type AwsService = "sqs" | "s3" | "dynamodb";

/**
 * How the apps reach AWS or a compatible service. Without `endpointUrl` the SDK
 * talks to real AWS with credentials from the usual sources (environment,
 * `--profile`, SSO, instance roles); with it, every client goes to that
 * endpoint (the local broker, s3rver, dynalite, LocalStack...).
 */
export interface AwsConnection {
  readonly region: string;
  readonly endpointUrl?: string;
  /**
   * Per-service endpoints, over `endpointUrl`: the local broker for SQS and
   * another server for S3, say (one LocalStack serves all three, separate
   * stand-ins do not).
   */
  readonly serviceEndpoints?: Partial<Readonly<Record<AwsService, string>>>;
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
export const LOCAL_CREDENTIALS = {
  accessKeyId: "mailroom",
  secretAccessKey: "mailroom",
};

/**
 * The settings every SDK client takes from a connection: region, endpoint,
 * profile and credentials.
 */
export function clientConfig(connection: AwsConnection, service: AwsService) {
  const env = process.env;
  const endpoint = endpointFor(connection, service);
  const namesCredentials =
    connection.profile !== undefined ||
    env.AWS_ACCESS_KEY_ID !== undefined ||
    env.AWS_PROFILE !== undefined;
  return {
    region: connection.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(connection.profile === undefined ? {} : { profile: connection.profile }),
    ...(endpoint !== undefined && !namesCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
  };
}

/** The endpoint a client of `service` uses; `undefined` means AWS itself. */
export function endpointFor(connection: AwsConnection, service: AwsService): string | undefined {
  return connection.serviceEndpoints?.[service] ?? connection.endpointUrl;
}
