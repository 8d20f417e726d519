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
const PAGE_BUDGET_MS = 300;
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

    it(`shows them within ${PAGE_BUDGET_MS} ms of navigation on localhost`, async (t) => {
      const timings: number[] = [];
      for (let load = 0; load < LOADS; load++) {
        const { page } = await openPage(browser, broker.consoleUrl!);
        await page.getByText(`(${QUEUES.toLocaleString("en-US")})`).waitFor();
        // The page's own mark, in ms since navigation start.
        const shown = (await page.evaluate(
          `performance.getEntriesByName("mailroom:queues-shown")[0]?.startTime ?? NaN`,
        )) as number;
        assert.equal(await page.locator("table.queues tbody tr").count(), 50, "one page of rows");
        timings.push(Math.round(shown));
        await page.context().close();
      }
      t.diagnostic(
        `Queues page with ${QUEUES} queues shown at ${timings.join(", ")} ms after navigation start`,
      );
      // The best of three loads is judged: the first also compiles the script. On a
      // machine busier than one process per core (other tests running beside this
      // one) the budget stretches by the load per core, so the test judges the
      // console rather than the machine; the raw numbers are printed above.
      const busy = Math.max(1, loadavg()[0]! / availableParallelism());
      t.diagnostic(`load average per core ${busy.toFixed(2)}`);
      assert.ok(
        Math.min(...timings) < PAGE_BUDGET_MS * busy,
        `${timings.join(", ")} ms (budget ${PAGE_BUDGET_MS} ms x ${busy.toFixed(2)})`,
      );
    });
  });
});
