import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { clientConfig } from "./aws-connection.ts";
import type { AwsConnection } from "./aws-connection.ts";

export function createDynamoDocumentClient(connection: AwsConnection): DynamoDBDocumentClient {
  return createDynamoClients(connection).documents;
}

/** A low-level client (tables) and a document client (items) over it, sharing one connection. */
export function createDynamoClients(connection: AwsConnection): {
  client: DynamoDBClient;
  documents: DynamoDBDocumentClient;
} {
  const client = new DynamoDBClient(clientConfig(connection, "dynamodb"));
  return {
    client,
    documents: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
}
