import assert from "node:assert/strict";
import { availableParallelism, loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { Browser } from "playwright-core";
import { loadConsoleAssets } from "../../../src/broker/console/console-assets.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

const ASSET_BUDGET_BYTES = 150 * 1024;
const QUEUES = 1_000;
const LOADS = 3;

describe("the console's budgets", () => {
  it("all its assets weigh under 150 KiB gzipped", (t) => {
    const sizes = loadConsoleAssets().map((asset) => ({
      name: asset.name,
      gzipped: gzipSync(asset.body, { level: 9 }).length,
    }));
    const total = sizes.reduce((sum, asset) => sum + asset.gzipped, 0);
    for (const asset of sizes) t.diagnostic(`${asset.name}: ${asset.gzipped} bytes gzipped`);
    t.diagnostic(`console assets: ${(total / 1024).toFixed(1)} KiB gzipped`);
    assert.ok(total < ASSET_BUDGET_BYTES, `${total} bytes gzipped`);
  });

  describe(`the Queues page with ${QUEUES} queues`, { skip: browserSkip }, () => {
    let broker: TestBroker;
    let browser: Browser;

    before(async () => {
      broker = await startTestBroker({ consolePort: 0, clock: systemClock, inMemory: true });
      for (let start = 0; start < QUEUES; start += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            broker.sqs.send(
              new CreateQueueCommand({
                QueueName: `load-${String(start + index).padStart(4, "0")}${index % 5 === 0 ? ".fifo" : ""}`,
                ...(index % 5 === 0 ? { Attributes: { FifoQueue: "true" } } : {}),
              }),
            ),
          ),
        );
      }
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await broker?.close();
    });

    // The 300 ms budget of issue 12 is judged by `npm run bench` (bench/console/),
    // not here: a timing assertion in a test fails on a busy machine, not on the
    // console. This test checks what the page shows and prints the timings.
    it("shows them, one page of 50 rows, and marks when they were on screen", async (t) => {
      const timings: number[] = [];
      for (let load = 0; load < LOADS; load++) {
        const { page, errors } = await openPage(browser, broker.consoleUrl!);
        await page.getByText(`(${QUEUES.toLocaleString("en-US")})`).waitFor();
        // The page's own mark, in ms since navigation start.
        const shown = (await page.evaluate(
          `performance.getEntriesByName("mailroom:queues-shown")[0]?.startTime ?? NaN`,
        )) as number;
        assert.equal(await page.locator("table.queues tbody tr").count(), 50, "one page of rows");
        assert.ok(
          Number.isFinite(shown) && shown > 0,
          `the page marks when its rows showed: ${shown}`,
        );
        assert.deepEqual(errors, []);
        timings.push(Math.round(shown));
        await page.context().close();
      }
      t.diagnostic(
        `Queues page with ${QUEUES} queues shown at ${timings.join(", ")} ms after navigation start ` +
          `(load average per core ${(loadavg()[0]! / availableParallelism()).toFixed(2)})`,
      );
    });
  });
});
