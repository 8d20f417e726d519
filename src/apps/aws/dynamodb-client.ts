import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { clientConfig } from "./aws-connection.ts";
import type { AwsConnection } from "./aws-connection.ts";

export function createDynamoDocumentClient(connection: AwsConnection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(connection, "dynamodb")), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
