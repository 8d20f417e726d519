import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AppError } from "../app-error.ts";

/** The course's widget table name (CS5260 HW1). */
export const DEFAULT_WIDGET_TABLE = "widgets";

/** HW1's global secondary index: a user's widgets by `owner`, newest last by `last_modified_on`. */
export const WIDGET_OWNER_INDEX = "owner-last_modified_on-index";

/** How long to wait for a new table to become ACTIVE; AWS usually takes seconds. */
const MAX_WAIT_SECONDS = 300;

/**
 * Makes sure the widget table exists and is ACTIVE: partition key `id`
 * (String), on-demand capacity, and HW1's index on `owner` + `last_modified_on`.
 * A table that already exists is used as it is (whatever its index), so
 * several processes can call this at once, and so can the pipeline on every start.
 */
export async function ensureWidgetTable(
  client: DynamoDBClient,
  table: string = DEFAULT_WIDGET_TABLE,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "id", AttributeType: "S" },
          { AttributeName: "owner", AttributeType: "S" },
          { AttributeName: "last_modified_on", AttributeType: "S" },
        ],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          {
            IndexName: WIDGET_OWNER_INDEX,
            KeySchema: [
              { AttributeName: "owner", KeyType: "HASH" },
              { AttributeName: "last_modified_on", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
  } catch (error) {
    // Already there, or being created by another process: wait for it like our own.
    if ((error as Error).name !== "ResourceInUseException") {
      const reason = (error as Error).message;
      throw new AppError(`Could not create the DynamoDB table ${table}: ${reason}`, 1, {
        cause: error,
      });
    }
  }
  // The waiter's first look is immediate; the delays only matter on real AWS.
  await waitUntilTableExists(
    { client, minDelay: 1, maxDelay: 5, maxWaitTime: MAX_WAIT_SECONDS },
    { TableName: table },
  );
}
