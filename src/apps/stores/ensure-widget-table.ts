import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../aws/ensure-table.ts";

/** The course's widget table name (CS5260 HW1). */
export const DEFAULT_WIDGET_TABLE = "widgets";

/** HW1's global secondary index: a user's widgets by `owner`, newest last by `last_modified_on`. */
export const WIDGET_OWNER_INDEX = "owner-last_modified_on-index";

/**
 * Makes sure the widget table exists and is ACTIVE: partition key `id`
 * (String), on-demand capacity, and HW1's index on `owner` + `last_modified_on`.
 * A table that already exists is used as it is (whatever its index), so
 * several processes can call this at once.
 */
export async function ensureWidgetTable(
  client: DynamoDBClient,
  table: string = DEFAULT_WIDGET_TABLE,
): Promise<void> {
  await ensureTable(client, {
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
  });
}
