import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import type { CreateTableCommandInput, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AppError } from "../app-error.ts";

/** How long to wait for a new table to become ACTIVE; AWS usually takes seconds. */
const MAX_WAIT_SECONDS = 300;

/**
 * Creates the table `input` describes unless it exists, then waits until it
 * is ACTIVE. A table that already exists is used as it is (whatever its
 * indexes), so several processes can call this at once.
 */
export async function ensureTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    // Already there, or being created by another process: wait for it like our own.
    if ((error as Error).name !== "ResourceInUseException") {
      const reason = (error as Error).message;
      throw new AppError(`Could not create the DynamoDB table ${input.TableName}: ${reason}`, 1, {
        cause: error,
      });
    }
  }
  // The waiter's first look is immediate; the delays only matter on real AWS.
  await waitUntilTableExists(
    { client, minDelay: 1, maxDelay: 5, maxWaitTime: MAX_WAIT_SECONDS },
    { TableName: input.TableName },
  );
}
