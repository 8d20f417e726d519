import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/**
 * What the console shows, read as a person reads it, in Debian's Chromium:
 * large numbers on the charts, policies and timestamps in words.
 */
describe("the console's values, readable", { skip: browserSkip }, () => {
  let broker: TestBroker;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    broker = await startTestBroker({ consolePort: 0, clock: systemClock, inMemory: true });
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, broker.consoleUrl!));
  });
  after(async () => {
    await browser?.close();
    await broker?.close();
  });

  function nameOf(queueUrl: string): string {
    return decodeURIComponent(queueUrl.split("/").at(-1)!);
  }

  it("charts values of 100,000 and more with their whole labels, grouped like the counts", async () => {
    // Given messages of 100,000 and 214,599 bytes: an average size of 157,299.5
    const QueueUrl = await broker.createQueue();
    for (const size of [100_000, 214_599]) {
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x".repeat(size) }));
    }
    await page.goto(`${broker.consoleUrl}#/queues/${nameOf(QueueUrl)}/monitoring`);
    const chart = page.locator('figure[data-metric="SentMessageSize"]');
    await chart.getByText("latest 157,299.5 bytes").waitFor();

    // The value axis is wider than its longest label, "100,000", with its tick and gap
    const { axisWidth, labelWidth } = (await page.evaluate(`(() => {
      const over = document.querySelector('figure[data-metric="SentMessageSize"] .u-over');
      const context = document.createElement("canvas").getContext("2d");
      context.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      return { axisWidth: over.offsetLeft, labelWidth: context.measureText("100,000").width };
    })()`)) as { axisWidth: number; labelWidth: number };
    assert.ok(axisWidth >= labelWidth + 15, `axis ${axisWidth} px for a label of ${labelWidth} px`);
    assert.deepEqual(errors, []);
  });
});
