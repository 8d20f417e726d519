import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/**
 * Every page of the console in a phone's window (375 px) and with a queue
 * name of the longest kind (80 characters, no break in it): nothing wider
 * than the window, tables scrolling inside their own box.
 */
describe("the console in a narrow window", { skip: browserSkip }, () => {
  let broker: TestBroker;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  // 80 characters, the longest name SQS allows, with nothing to break it at
  const longName = `L${Date.now()}`.padEnd(80, "x");
  const deadLetter = `${longName.slice(0, 76)}-dlq`;

  before(async () => {
    broker = await startTestBroker({ consolePort: 0, clock: systemClock, inMemory: true });
    const { QueueUrl: deadLetterUrl } = await broker.sqs.send(
      new CreateQueueCommand({ QueueName: deadLetter }),
    );
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }),
    );
    const { QueueUrl } = await broker.sqs.send(
      new CreateQueueCommand({
        QueueName: longName,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes!.QueueArn,
            maxReceiveCount: 5,
          }),
        },
      }),
    );
    await broker.sqs.send(
      new TagQueueCommand({ QueueUrl, Tags: { [longName.slice(0, 60)]: longName } }),
    );
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: longName }));
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, broker.consoleUrl!));
  });
  after(async () => {
    await browser?.close();
    await broker?.close();
  });

  /** How far the document reaches past the window's right edge, in px (0 when it fits). */
  async function overflow(): Promise<number> {
    return (await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )) as number;
  }

  /** The page at `hash`, once `ready`, with how far it reaches past the window when it does. */
  async function widthOf(hash: string, ready: () => Promise<void>): Promise<string[]> {
    await page.goto(`${broker.consoleUrl}${hash}`);
    await ready();
    const past = await overflow();
    return past === 0 ? [] : [`${hash}: ${past} px too wide`];
  }

  const queue = (tab: string) => `#/queues/${encodeURIComponent(longName)}/${tab}`;

  it("fits every page into a 375 px window", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const pages: [hash: string, ready: () => Promise<void>][] = [
      ["#/", () => page.getByRole("link", { name: longName }).waitFor()],
      [
        "#/create",
        async () => {
          await page.getByRole("button", { name: "Add tag" }).click();
          await page.getByLabel("Tag 1 key").waitFor();
        },
      ],
      [queue("details"), () => page.getByText("after 5 receives").waitFor()],
      [queue("edit"), () => page.getByLabel("Maximum receives").waitFor()],
      [queue("monitoring"), () => page.locator(".u-over").first().waitFor()],
      [
        `#/queues/${encodeURIComponent(deadLetter)}/dead-letter`,
        () => page.getByRole("heading", { name: "Start DLQ redrive" }).waitFor(),
      ],
      [queue("tags"), () => page.getByLabel("Tag 1 key").waitFor()],
      [queue("policy"), () => page.getByLabel("Access policy (JSON)").waitFor()],
      [
        queue("send"),
        async () => {
          await page.getByRole("button", { name: "Add attribute" }).click();
          await page.getByLabel("Polling duration (seconds)").fill("1");
          await page.getByRole("button", { name: "Poll for messages" }).click();
          await page.getByRole("button", { name: "Show body" }).click();
          await page.getByRole("heading", { name: "Body" }).waitFor();
        },
      ],
    ];
    const tooWide: string[] = [];
    for (const [hash, ready] of pages) tooWide.push(...(await widthOf(hash, ready)));
    assert.deepEqual(tooWide, []);
    assert.deepEqual(errors, []);
  });

  it("keeps the Queues page and its header bar as wide as a 1000 px window with that name in it", async () => {
    await page.setViewportSize({ width: 1000, height: 800 });
    assert.deepEqual(
      await widthOf("#/", () => page.getByRole("link", { name: longName }).waitFor()),
      [],
    );
    const header = (await page.evaluate(
      "document.querySelector('header.top').getBoundingClientRect().width",
    )) as number;
    assert.equal(header, 1000);
  });
});
