import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Browser } from "playwright-core";
import { openPage } from "./browser.ts";

/**
 * Creates `count` queues named `load-0000`, `load-0001`..., every fifth a
 * FIFO queue, 50 at a time: the console's Queues page under load, for its
 * browser test and for `npm run bench -- --only console`.
 */
export async function createLoadQueues(sqs: SQSClient, count: number): Promise<void> {
  for (let start = 0; start < count; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, index) => {
        const fifo = index % 5 === 0;
        return sqs.send(
          new CreateQueueCommand({
            QueueName: `load-${String(start + index).padStart(4, "0")}${fifo ? ".fifo" : ""}`,
            ...(fifo ? { Attributes: { FifoQueue: "true" } } : {}),
          }),
        );
      }),
    );
  }
}

/** One load of the Queues page, as the page itself saw it. */
export interface QueuesPageLoad {
  /** The page's `mailroom:queues-shown` mark: ms from navigation start until its rows were on screen. */
  readonly shownMs: number;
  /** Rows in the table (one page of them). */
  readonly rows: number;
  /** Errors the page logged. */
  readonly errors: readonly string[];
}

/** Opens the console at `url` in a fresh context and waits until it lists `queues` queues. */
export async function loadQueuesPage(
  browser: Browser,
  url: string,
  queues: number,
): Promise<QueuesPageLoad> {
  const { page, errors } = await openPage(browser, url);
  try {
    await page.getByText(`(${queues.toLocaleString("en-US")})`).waitFor();
    const shown = (await page.evaluate(
      `performance.getEntriesByName("mailroom:queues-shown")[0]?.startTime ?? NaN`,
    )) as number;
    const rows = await page.locator("table.queues tbody tr").count();
    return { shownMs: shown, rows, errors: [...errors] };
  } finally {
    await page.context().close();
  }
}
