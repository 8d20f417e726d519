import { AppError } from "../app-error.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { folderProblem } from "../folder-problem.ts";
import type { WidgetStore } from "./widget-store.ts";

/** A widget read to see whether the store answers; only read, so harmless if it exists. */
const PROBE = { id: "00000000-0000-0000-0000-000000000000", owner: "mailroom" };

/**
 * Reads one widget that does not exist, before any request is taken: a
 * missing bucket or table, or an endpoint that does not serve the store's
 * service, then stops the consumer with one line instead of failing every
 * request it receives.
 */
export async function checkWidgetStore(store: WidgetStore): Promise<void> {
  try {
    await store.read(PROBE);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // No credentials, or no endpoint: the same guided line as for SQS.
    const described = describeConnectionError(error, store.kind);
    // Otherwise the error's own words, except a store under a file (ENOTDIR), said as such.
    const message =
      described !== error && described instanceof Error
        ? described.message
        : folderProblem(error, store.location);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // An SDK that cannot read the answer says only "UnknownError": say what came back.
    const reason =
      message === "UnknownError" && status !== undefined
        ? `the endpoint answered HTTP ${status}, not as ${store.kind} does (is it the right endpoint?)`
        : message;
    throw new AppError(
      `cannot use the widget store ${store.location} (${store.kind}): ${reason}`,
      1,
      {
        cause: error,
      },
    );
  }
}
