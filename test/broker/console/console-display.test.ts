import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Browser, Page, Route } from "playwright-core";
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
    // (one batch: two sends could fall on either side of a minute, the chart's step)
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [100_000, 214_599].map((size) => ({
          Id: `s${size}`,
          MessageBody: "x".repeat(size),
        })),
      }),
    );
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

  it("says the redrive allow policy in words on the Details tab, as on the Dead-letter tab", async () => {
    const sourceUrl = await broker.createQueue();
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ["QueueArn"] }),
    );
    const QueueUrl = await broker.createQueue({
      RedriveAllowPolicy: JSON.stringify({
        redrivePermission: "byQueue",
        sourceQueueArns: [Attributes!.QueueArn],
      }),
    });
    const words = `Only these queues may use it: ${nameOf(sourceUrl)}.`;
    await page.goto(`${broker.consoleUrl}#/queues/${nameOf(QueueUrl)}/details`);
    const row = page.locator("dl.details div").filter({ hasText: "Redrive allow policy" });
    assert.equal(await row.locator("dd").innerText(), words);
    await page.getByRole("link", { name: "Dead-letter queue" }).click();
    await page.getByText(words).waitFor();
  });

  it("shows a received message's system timestamps as dates, their numbers in the title", async () => {
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "dated" }));
    await page.goto(`${broker.consoleUrl}#/queues/${nameOf(QueueUrl)}/send`);
    await page.getByLabel("Polling duration (seconds)").fill("1");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByRole("button", { name: "Show body" }).click();
    for (const name of ["SentTimestamp", "ApproximateFirstReceiveTimestamp"]) {
      const value = page
        .locator("dl.inline div")
        .filter({ has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) })
        .locator("dd time");
      const epochMs = Number(await value.getAttribute("title"));
      assert.ok(Math.abs(epochMs - Date.now()) < 60_000, `${name} ${epochMs}`);
      assert.equal(
        await value.innerText(),
        await page.evaluate(
          `new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(${epochMs})`,
        ),
      );
    }
  });

  it("names each page in the window's title and puts the focus on its heading", async () => {
    const QueueUrl = await broker.createQueue();
    const name = nameOf(QueueUrl);
    const focused = () =>
      page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent");
    // The title and the focus as they are the moment a heading appears: a
    // reader (or a test) must never see the new page under the old title.
    const whenShown = (heading: string): Promise<string[]> =>
      page.evaluate(`new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector("main h1")?.textContent !== ${JSON.stringify(heading)}) return;
          observer.disconnect();
          const active = document.activeElement;
          resolve([document.title, active.tagName + " " + active.textContent]);
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      })`);
    await page.goto(`${broker.consoleUrl}#/`);
    await page.getByRole("link", { name }).waitFor();
    assert.equal(await page.title(), "Queues · Mailroom console");

    // A queue opened from the list: its title, and the focus on its name
    const queueShown = whenShown(name);
    await page.getByRole("link", { name }).click();
    assert.deepEqual(await queueShown, [
      `${name} (Details) · Queues · Mailroom console`,
      `H1 ${name}`,
    ]);

    // Another tab of the queue: a new title, the focus left on the tab
    await page.getByRole("link", { name: "Monitoring" }).click();
    await page.waitForFunction(
      `document.title.startsWith(${JSON.stringify(`${name} (Monitoring)`)})`,
    );
    assert.equal(await focused(), "A Monitoring");

    const sendShown = whenShown("Send and receive messages");
    await page.getByRole("link", { name: "Send and receive messages" }).click();
    assert.deepEqual(await sendShown, [
      `Send and receive · ${name} · Queues · Mailroom console`,
      "H1 Send and receive messages",
    ]);

    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByRole("heading", { name: "Create queue" }).waitFor();
    assert.equal(await page.title(), "Create queue · Queues · Mailroom console");
    assert.equal(await focused(), "H1 Create queue");
  });

  it("draws the focus ring at 3:1 or more against the page, a selected row and the header bar (WCAG 1.4.11)", async () => {
    await page.goto(`${broker.consoleUrl}#/`);
    await page.getByLabel("Search queues by name").focus();
    const colours = (await page.evaluate(`(() => {
      const style = getComputedStyle(document.activeElement);
      const row = document.createElement("tr");
      row.className = "selected";
      row.innerHTML = "<td></td>";
      document.querySelector("table.queues tbody").append(row);
      const selected = getComputedStyle(row.firstChild).backgroundColor;
      row.remove();
      return {
        outline: style.outlineColor,
        ring: style.boxShadow,
        page: getComputedStyle(document.body).backgroundColor,
        soft: getComputedStyle(document.documentElement).getPropertyValue("--soft"),
        selected,
        header: getComputedStyle(document.querySelector("header.top")).backgroundColor,
      };
    })()`)) as Record<string, string>;
    const luminance = (colour: string) => {
      const hex = /^\s*#([0-9a-f]{6})/i.exec(colour)?.[1];
      const parts = hex
        ? [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16))
        : /rgba?\((\d+), (\d+), (\d+)/.exec(colour)!.slice(1, 4).map(Number);
      const [r, g, b] = parts.map((part) => {
        const c = part / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: string, b: string) => {
      const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (high! + 0.05) / (low! + 0.05);
    };
    // The page is white: an rgba(0, 0, 0, 0) body shows the root's white
    const white = colours.page!.startsWith("rgba(0, 0, 0, 0)")
      ? "rgb(255, 255, 255)"
      : colours.page!;
    for (const beside of [white, colours.soft!, colours.selected!]) {
      assert.ok(contrast(colours.outline!, beside) >= 3, `outline ${colours.outline} on ${beside}`);
    }
    assert.ok(
      contrast(colours.ring!, colours.header!) >= 3,
      `ring ${colours.ring} on ${colours.header}`,
    );
  });

  it("keeps the Queues page's filter, sort and page through Back and reload", async () => {
    // Given 30 queues of one prefix, filtered, sorted by newest and on page 2 of 25 rows
    const prefix = `kept-${Date.now()}`;
    for (let index = 0; index < 30; index++) {
      await broker.sqs.send(
        new CreateQueueCommand({ QueueName: `${prefix}-${String(index).padStart(2, "0")}` }),
      );
    }
    await page.goto(`${broker.consoleUrl}#/`);
    await page.getByLabel("Search queues by name").fill(prefix);
    await page.getByRole("button", { name: "Created" }).click();
    await page.getByRole("button", { name: "Created" }).click();
    await page.getByLabel("Rows per page").selectOption("25");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Page 2 of 2").waitFor();
    const asLeft = async (when: string) => {
      await page.getByText("Page 2 of 2").waitFor();
      assert.equal(await page.getByLabel("Search queues by name").inputValue(), prefix, when);
      assert.equal(await page.getByLabel("Rows per page").inputValue(), "25", when);
      const created = page.getByRole("columnheader", { name: /^Created/ });
      assert.equal(await created.getAttribute("aria-sort"), "descending", when);
      assert.equal(await page.getByRole("row").count(), 1 + 5, when);
    };

    // When a queue is opened, then Back
    await page
      .getByRole("link", { name: `${prefix}-` })
      .first()
      .click();
    await page.getByRole("link", { name: "Monitoring" }).waitFor();
    await page.goBack();
    await asLeft("after Back");

    // And when the page is reloaded
    await page.reload();
    await asLeft("after reload");
  });

  it("shows the Queues page as a new address of it says, in the same tab", async () => {
    // Given the list filtered on one prefix
    const prefix = `follow-${Date.now()}`;
    for (const name of ["alpha", "beta"]) {
      await broker.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}` }));
    }
    const names = () => page.locator("table.queues td.name").allInnerTexts();
    await page.goto(`${broker.consoleUrl}#/?q=${prefix}-alpha`);
    await page.getByRole("link", { name: `${prefix}-alpha` }).waitFor();

    // When another filter's address is opened (a link pasted in), the box and rows follow it
    await page.goto(`${broker.consoleUrl}#/?q=${prefix}-beta`);
    await page.getByRole("link", { name: `${prefix}-beta` }).waitFor();
    assert.equal(await page.getByLabel("Search queues by name").inputValue(), `${prefix}-beta`);
    assert.deepEqual(await names(), [`${prefix}-beta`]);

    // And a sort's address sorts, with the filter it does not name cleared
    await page.goto(`${broker.consoleUrl}#/?q=${prefix}&sort=name&desc=1`);
    await page.getByRole("link", { name: `${prefix}-alpha` }).waitFor();
    assert.deepEqual(await names(), [`${prefix}-beta`, `${prefix}-alpha`]);
    const nameHeader = page.getByRole("columnheader", { name: /^Name/ });
    assert.equal(await nameHeader.getAttribute("aria-sort"), "descending");

    // And the header's Queues link shows every queue, in the default order
    await page.getByRole("link", { name: "Queues", exact: true }).click();
    await page.waitForFunction(`document.querySelector("#queue-filter").value === ""`);
    assert.equal(await nameHeader.getAttribute("aria-sort"), "ascending");
    assert.equal(new URL(page.url()).hash, "#/");
  });

  it("keeps a navigation made as the queue list arrives, rather than putting the list's address back", async () => {
    // Given a tab that goes to Create queue the moment the list's rows are shown
    // (where a person's click can land too, before the page's effects have run)
    await broker.createQueue();
    const context = await browser.newContext();
    try {
      await context.addInitScript(`(() => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector("table.queues tbody tr")) return;
          observer.disconnect();
          requestAnimationFrame(() => { location.hash = "#/create"; });
        });
        document.addEventListener("DOMContentLoaded", () =>
          observer.observe(document.body, { childList: true, subtree: true }));
      })()`);
      const tab = await context.newPage();

      // When it opens the Queues page
      await tab.goto(`${broker.consoleUrl}#/`);

      // Then it ends on Create queue, at that address
      await tab.getByRole("heading", { name: "Create queue" }).waitFor({ timeout: 5_000 });
      await sleep(500); // the list page's late effects, had they survived the navigation
      assert.equal(new URL(tab.url()).hash, "#/create");
      assert.equal(await tab.locator("main h1").innerText(), "Create queue");
    } finally {
      await context.close();
    }
  });
});

describe("the console when its broker stops", { skip: browserSkip }, () => {
  let broker: TestBroker;
  let browser: Browser;
  let page: Page;

  before(async () => {
    broker = await startTestBroker({ consolePort: 0, clock: systemClock, inMemory: true });
    browser = await launchBrowser();
    ({ page } = await openPage(browser, broker.consoleUrl!));
  });
  after(async () => {
    await browser?.close();
    await broker?.close();
  });

  /** The page's alerts that say the broker did not answer, once their count has settled. */
  async function unreachableAlerts(): Promise<string[]> {
    const alerts = page.getByRole("alert").filter({ hasText: "did not answer" });
    await alerts.first().waitFor();
    // Every request of the tab has run (the queue is read again every 5 s)
    await sleep(6_000);
    return alerts.allInnerTexts();
  }

  it("opens Monitoring once the broker answers again, after a first try it did not answer", async () => {
    // Given a page on a queue's Details, a fresh document that has not loaded the charts' script
    const QueueUrl = await broker.createQueue();
    const name = decodeURIComponent(QueueUrl.split("/").at(-1)!);
    const { page: fresh } = await openPage(browser, `${broker.consoleUrl}#/queues/${name}/details`);
    try {
      await fresh.getByRole("heading", { name }).waitFor();

      // When the broker stops answering and Monitoring is opened
      const noAnswer = (route: Route) => route.abort("connectionrefused");
      await fresh.route("**/*", noAnswer);
      await fresh.getByRole("link", { name: "Monitoring" }).click();

      // Then the banner alone says so: no browser error about the script
      await fresh.getByRole("alert").filter({ hasText: "did not answer" }).waitFor();
      await sleep(500);
      assert.deepEqual(await fresh.getByRole("alert").allInnerTexts(), [
        `The broker at ${new URL(broker.consoleUrl!).origin} did not answer; is it running?`,
      ]);

      // And once it answers again, the charts come, with no reload
      await fresh.unroute("**/*", noAnswer);
      await fresh.locator(".u-over").first().waitFor({ timeout: 15_000 });
      assert.equal(await fresh.getByRole("alert").count(), 0);
    } finally {
      await fresh.context().close();
    }
  });

  it("says once, in a plain sentence, that the broker did not answer", async () => {
    // Given a dead-letter queue with a source queue, and a page on its Monitoring tab
    const deadLetterUrl = await broker.createQueue();
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }),
    );
    await broker.createQueue({
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes!.QueueArn,
        maxReceiveCount: 3,
      }),
    });
    const deadLetter = decodeURIComponent(deadLetterUrl.split("/").at(-1)!);
    await page.goto(`${broker.consoleUrl}#/queues/${deadLetter}/monitoring`);
    await page.locator(".u-over").first().waitFor();
    const origin = new URL(broker.consoleUrl!).origin;
    const sentence = `The broker at ${origin} did not answer; is it running?`;

    // When the broker stops, the charts' refresh and the queue's fail
    await broker.close();
    await page.getByRole("button", { name: "Refresh" }).click();
    assert.deepEqual(await unreachableAlerts(), [sentence]);

    // And on the Dead-letter tab, where its source queues fail too
    await page.getByRole("link", { name: "Dead-letter queue" }).click();
    await page.getByRole("heading", { name: "Source queues" }).waitFor();
    assert.deepEqual(await unreachableAlerts(), [sentence]);
  });
});
