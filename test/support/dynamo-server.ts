import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsConnection } from "../../src/apps/aws/aws-connection.ts";

/** A dynalite (DynamoDB on LevelDB) in memory on a random loopback port. */
export interface TestDynamoServer {
  endpoint: string;
  /** How the apps reach it. */
  connection: AwsConnection;
  /** A low-level client, for tables (`ensureWidgetTable`) and raw items. */
  client: DynamoDBClient;
  /** A document client over `client`, configured as the apps' own. */
  documents: DynamoDBDocumentClient;
  /** Stops the server and drops open connections; its data goes with it. */
  close(): Promise<void>;
}

type Dynalite = (options: Record<string, unknown>) => Server;
const dynalite = createRequire(import.meta.url)("dynalite") as Dynalite;

export async function startDynamoServer(): Promise<TestDynamoServer> {
  // Tables turn ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const connection: AwsConnection = {
    region: "us-east-1",
    endpointUrl: endpoint,
    credentials: { accessKeyId: "mailroom", secretAccessKey: "mailroom" },
  };
  const client = new DynamoDBClient({
    region: connection.region,
    endpoint,
    credentials: connection.credentials,
  });
  // Same marshalling as the apps' document client, over the client the test holds.
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    endpoint,
    connection,
    client,
    documents,
    async close() {
      client.destroy();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}
