import { SQSClient } from "@aws-sdk/client-sqs";
import { clientConfig } from "./aws-connection.ts";
import type { AwsConnection } from "./aws-connection.ts";

export function createSqsClient(connection: AwsConnection): SQSClient {
  return new SQSClient(clientConfig(connection, "sqs"));
}
