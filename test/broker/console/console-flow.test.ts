import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
} from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { screenshot } from "../../support/console-screenshots.ts";

/**
 * The console as a person uses it, in Debian's Chromium: a FIFO queue with a
 * dead-letter queue made through the create form, messages sent, polled,
 * read and deleted, the counts and a monitoring chart moving, messages
 * reaching the dead-letter queue and redriven back, then purge and delete.
 * Real time (visibility timeout 5 s), since the page polls like a person.
 */
describe("the console in a browser", { skip: browserSkip }, () => {
  let broker: TestBroker;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const suffix = randomBytes(3).toString("hex");
  const dlq = `orders-dlq-${suffix}.fifo`;
  const source = `orders-${suffix}.fifo`;

  before(async () => {
    broker = await startTestBroker({
      consolePort: 0,
      clock: systemClock,
      inMemory: true,
      relaxedTiming: true,
    });
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, broker.consoleUrl!));
  });
  after(async () => {
    await browser?.close();
    await broker?.close();
  });

  it("creates a FIFO dead-letter queue, then a FIFO queue that uses it", async () => {
    await page.getByRole("heading", { name: /^Queues/ }).waitFor();
    await page.getByRole("link", { name: "Create queue" }).click();
    await page.getByLabel(/FIFO: first-in/).check();
    await page.getByLabel("Name", { exact: true }).fill(dlq);
    await screenshot(page, "create-queue");
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.getByRole("heading", { name: dlq }).waitFor();

    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel(/FIFO: first-in/).check();
    await page.getByLabel("Name", { exact: true }).fill(source);
    // Long enough for a loaded machine to delete what it received before it
    // comes back (and, with maxReceiveCount 1, goes to the dead-letter queue).
    await page.getByLabel("Visibility timeout (seconds)").fill("5");
    await page.getByLabel(/^Content-based deduplication/).check();
    await page.getByLabel(/^Send messages received too often/).check();
    await page.getByLabel("Dead-letter queue", { exact: true }).selectOption({ label: dlq });
    await page.getByLabel("Maximum receives").fill("1");
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.getByRole("heading", { name: source }).waitFor();
    await page.getByText("after 1 receives").waitFor();
    await screenshot(page, "queue-details");
  });

  it("shows an API error in place, with AWS's message", async () => {
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill("bad name!");
    await page.getByRole("button", { name: "Create queue" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /InvalidParameterValue/);
  });

  it("lists both queues, filtered and sorted", async () => {
    await page.goto(broker.consoleUrl!);
    await page.getByLabel("Search queues by name").fill(suffix);
    const rows = page.locator("table.queues tbody tr");
    await waitForCount(rows, 2);
    // Sorted by name already; a click on the header turns the order around.
    await page.getByRole("button", { name: "Name" }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: "Name" }).waitFor();
    const [first] = [source, dlq].sort((a, b) => b.localeCompare(a));
    assert.match(
      await rows.first().innerText(),
      new RegExp(`^\\s*${first!.replaceAll(".", "\\.")}\\s+FIFO`),
    );
    await screenshot(page, "queues");
  });

  it("sends, polls, shows and deletes messages, and the monitoring chart moves", async () => {
    await openTab(page, broker, source, "monitoring");
    await page.locator('[data-metric="NumberOfMessagesSent"] canvas').waitFor();
    const sentCaption = page.locator('[data-metric="NumberOfMessagesSent"] figcaption');
    assert.match(await sentCaption.innerText(), /sum 0/);

    await page.goto(`${broker.consoleUrl}#/queues/${encodeURIComponent(source)}/send`);
    for (const order of ["one", "two", "three"]) {
      await page.getByLabel("Message body").fill(`{"order":"${order}"}`);
      await page.getByLabel("Message group ID").fill("customer-1");
      if (order === "one") {
        await page.getByRole("button", { name: "Add attribute" }).click();
        await page.getByLabel("Attribute 1 name").fill("priority");
        await page.getByLabel("Attribute 1 value").fill("high");
      }
      await page.getByRole("button", { name: "Send message" }).click();
      await page.getByText(/^Message sent: /).waitFor();
      await page.getByRole("status").filter({ hasText: "Message sent" }).waitFor();
    }
    await page.getByLabel("Polling duration (seconds)").fill("3");
    await page.getByLabel("Maximum message count").fill("3");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByText(/^Polling done: 3 messages received/).waitFor();
    const rows = page.locator("table.messages tbody tr");
    await waitForCount(rows, 3);
    await page.getByRole("button", { name: "Show body" }).first().click();
    await page.getByText('{"order":"one"}').waitFor();
    await page.getByText("priority (String)").waitFor();
    await screenshot(page, "send-and-receive");

    await page
      .getByLabel(/^Select message/)
      .first()
      .check();
    await page.getByRole("button", { name: "Delete selected (1)" }).click();
    await page.getByText("Deleted 1 message.").waitFor();
    await waitForCount(page.locator("table.messages tbody tr"), 2);

    await openTab(page, broker, source, "monitoring");
    await page
      .locator('[data-metric="NumberOfMessagesSent"] figcaption', { hasText: "sum 3" })
      .waitFor();
    await page
      .locator('[data-metric="NumberOfMessagesDeleted"] figcaption', { hasText: "sum 1" })
      .waitFor();
    // The queue's gauges have a value only since its first minute, often a
    // lone value: it must still be drawn.
    const visible = "ApproximateNumberOfMessagesVisible";
    await page
      .locator(`[data-metric="${visible}"] figcaption`, { hasText: "latest 2 messages" })
      .waitFor();
    assert.ok(
      (await seriesPixels(page, visible)) > 0,
      "the Messages visible chart draws its value",
    );
    await screenshot(page, "monitoring");
    assert.deepEqual(errors, []);
  });

  it("moves messages received too often to the dead-letter queue", async () => {
    // The two left were received once (maxReceiveCount 1); after the 5 s
    // visibility timeout, the next receive moves them instead of returning them.
    await page.waitForTimeout(5_100);
    await page.goto(`${broker.consoleUrl}#/queues/${encodeURIComponent(source)}/send`);
    await page.getByLabel("Polling duration (seconds)").fill("2");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByText(/^Polling done: 0 messages received/).waitFor();

    await page.goto(broker.consoleUrl!);
    await page.getByLabel("Search queues by name").fill(dlq);
    const row = page.locator("table.queues tbody tr");
    await waitForCount(row, 1);
    await page.locator("table.queues tbody tr td:nth-child(5)", { hasText: /^2$/ }).waitFor();
  });

  it("redrives the dead-letter queue back to its source, with the task's progress", async () => {
    await openTab(page, broker, dlq, "dead-letter");
    await page.getByRole("link", { name: source }).waitFor();
    // A custom destination not chosen yet is asked for, and nothing moves
    await page.getByLabel("Redrive to a custom destination").check();
    await page.getByRole("button", { name: "Start DLQ redrive" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Choose the destination queue, or redrive to the source queues." })
      .waitFor();
    assert.equal(await page.locator(".task").count(), 0);

    await page.getByLabel("Redrive to source queue(s)").check();
    await page.getByRole("button", { name: "Start DLQ redrive" }).click();
    await page.locator(".task", { hasText: "COMPLETED" }).waitFor();
    // The status word is a live region of its own: its change is announced (WCAG 4.1.3)
    assert.equal(await page.locator(".task .status").first().getAttribute("role"), "status");
    assert.match(await page.locator(".task .moved").first().innerText(), /2 of 2 messages moved/);
    await screenshot(page, "dead-letter-redrive");

    await openTab(page, broker, source, "details");
    await detailRow(page, "Messages available", "2");
  });

  it("edits settings, tags and the access policy", async () => {
    await openTab(page, broker, source, "edit");
    await page.getByLabel("Delivery delay (seconds)").fill("5");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved: DelaySeconds.").waitFor();
    await screenshot(page, "edit");

    await openTab(page, broker, source, "tags");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 key").fill("team");
    await page.getByLabel("Tag 1 value").fill("widgets");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByText("Tags saved.").waitFor();
    await screenshot(page, "tags");

    await openTab(page, broker, source, "policy");
    await page.getByLabel("Access policy (JSON)").fill("{not json");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("alert").filter({ hasText: "InvalidAttributeValue" }).waitFor();
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }],
    };
    await page.getByLabel("Access policy (JSON)").fill(JSON.stringify(policy, null, 2));
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("Policy saved.").waitFor();
    await screenshot(page, "access-policy");

    // And the queue holds what was saved, read back over the SQS API
    const { QueueUrl } = await broker.sqs.send(new GetQueueUrlCommand({ QueueName: source }));
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["DelaySeconds", "Policy"] }),
    );
    assert.equal(Attributes?.DelaySeconds, "5");
    assert.deepEqual(JSON.parse(Attributes?.Policy ?? "{}"), policy);
    const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags, { team: "widgets" });
  });

  it("purges the queue, then deletes it with its name typed", async () => {
    await openTab(page, broker, source, "details");
    await page.getByRole("button", { name: "Purge" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/To confirm/).fill("purge");
    await dialog.getByRole("button", { name: "Purge" }).click();
    await page.getByText(`Purged ${source}.`).waitFor();
    await detailRow(page, "Messages available", "0");

    await page.getByRole("button", { name: "Delete" }).click();
    // The dialog's own button, once the dialog is open: right after the click
    // a page-wide lookup could still find the page's Delete button.
    const deleteDialog = page.getByRole("dialog");
    const confirm = deleteDialog.getByRole("button", { name: "Delete" });
    await confirm.waitFor();
    assert.equal(await confirm.isDisabled(), true, "disabled until the name is typed");
    await deleteDialog.getByLabel(/To confirm/).fill(source);
    await confirm.click();
    await page.getByRole("heading", { name: /^Queues/ }).waitFor();
    await page.getByLabel("Search queues by name").fill(suffix);
    await waitForCount(page.locator("table.queues tbody tr"), 1);
    assert.deepEqual(errors, []);
  });
});

async function openTab(page: Page, broker: TestBroker, queue: string, tab: string): Promise<void> {
  await page.goto(`${broker.consoleUrl}#/queues/${encodeURIComponent(queue)}/${tab}`);
  await page.getByRole("heading", { name: queue }).waitFor();
}

/** Pixels of a metric's chart in the series' colour (#0b5cad), give or take anti-aliasing. */
async function seriesPixels(page: Page, metric: string): Promise<number> {
  // Run in the page, written as text: these tests are type-checked without the DOM's types.
  return (await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-metric="${metric}"] canvas');
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const distance =
        Math.abs(data[i] - 11) + Math.abs(data[i + 1] - 92) + Math.abs(data[i + 2] - 173);
      if (distance < 90) count++;
    }
    return count;
  })()`)) as number;
}

async function waitForCount(
  locator: ReturnType<Page["locator"]>,
  count: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} rows, saw ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the Details tab shows `value` for `label` (the page refreshes every 5 s). */
async function detailRow(page: Page, label: string, value: string): Promise<void> {
  await page
    .locator("dl.details div")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .filter({ has: page.locator("dd", { hasText: new RegExp(`^${value}$`) }) })
    .waitFor();
}
