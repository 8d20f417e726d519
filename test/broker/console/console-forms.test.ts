import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import type { QueueAttributeName } from "@aws-sdk/client-sqs";
import type { Browser, Page, Route } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * The console's forms at their edges, in Debian's Chromium: what a page
 * leaves behind when left, a form saved twice, input it cannot send, tags
 * and addresses with awkward names, a name already taken.
 */
describe("the console's forms at their edges", { skip: browserSkip }, () => {
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

  async function open(queueUrl: string, tab: string): Promise<string> {
    const name = decodeURIComponent(queueUrl.split("/").at(-1)!);
    await page.goto(`${broker.consoleUrl}#/queues/${encodeURIComponent(name)}/${tab}`);
    const heading = tab === "send" ? "Send and receive messages" : name;
    await page.getByRole("heading", { name: heading }).waitFor();
    return name;
  }

  async function attribute(
    QueueUrl: string,
    name: QueueAttributeName,
  ): Promise<string | undefined> {
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [name] }),
    );
    return Attributes?.[name];
  }

  /** A message sent now goes to a consumer's receive: no page is polling the queue. */
  async function assertConsumerGetsNext(QueueUrl: string): Promise<void> {
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "for the consumer" }));
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }),
    );
    assert.deepEqual(
      Messages.map((message) => message.Body),
      ["for the consumer"],
    );
  }

  /**
   * The page's long poll given up by the browser. The broker learns of it
   * when the connection closes, a moment later: until then the poll may
   * still take a message, so the tests wait for that moment to pass.
   */
  function receiveAborted(): Promise<unknown> {
    return page.waitForEvent(
      "requestfailed",
      (request) => request.headers()["x-amz-target"] === "AmazonSQS.ReceiveMessage",
    );
  }

  it("leaving Send and receive ends its polling, so the queue's consumers get their messages", async () => {
    // Given a page polling a queue for a minute, then left for the Queues page
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "send");
    await page.getByLabel("Polling duration (seconds)").fill("60");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByRole("button", { name: "Stop polling" }).waitFor();
    const pollAborted = receiveAborted();
    await page.goto(`${broker.consoleUrl}#/`);
    await page.getByRole("heading", { name: /^Queues/ }).waitFor();
    await pollAborted;
    await sleep(250);

    // When a message is sent, a consumer receives it: the page took nothing
    await assertConsumerGetsNext(QueueUrl);
  });

  it("Stop polling stops: the next message is the queue's consumers'", async () => {
    // Given a page polling a queue for a minute, stopped a moment later
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "send");
    await page.getByLabel("Polling duration (seconds)").fill("60");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    const pollAborted = receiveAborted();
    await page.getByRole("button", { name: "Stop polling" }).click();
    await page.getByRole("button", { name: "Poll for messages" }).waitFor();
    assert.equal(await page.getByRole("timer").textContent(), "");
    await pollAborted;
    await sleep(250);

    // When a message is sent, a consumer receives it: the page polls no more
    await assertConsumerGetsNext(QueueUrl);
  });

  it("sends on a delay queue with the queue's delay, unless told another", async () => {
    // Given a queue whose messages wait 7 s
    const QueueUrl = await broker.createQueue({ DelaySeconds: "7" });
    await open(QueueUrl, "send");
    assert.equal(await page.getByLabel("Delivery delay (seconds)").inputValue(), "7");
    // When a message is sent as the form stands, it waits; with 0, it does not
    await page.getByLabel("Message body").fill("delayed");
    await page.getByRole("button", { name: "Send message" }).click();
    await page.getByRole("status").filter({ hasText: "Message sent" }).waitFor();
    await page.getByLabel("Delivery delay (seconds)").fill("0");
    await page.getByLabel("Message body").fill("at once");
    await page.getByRole("button", { name: "Send message" }).click();
    await waitUntil(
      async () => (await broker.messageCounts(QueueUrl))?.ApproximateNumberOfMessages === "1",
      10_000,
      "the second message visible",
    );
    assert.equal((await broker.messageCounts(QueueUrl))?.ApproximateNumberOfMessagesDelayed, "1");
  });

  it("saves a setting changed, then changed back", async () => {
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "edit");
    for (const seconds of ["60", "30"]) {
      await page.getByLabel("Visibility timeout (seconds)").fill(seconds);
      await page.getByRole("button", { name: "Save" }).click();
      // The broker holds it (the notice of the first save may still be on screen)
      await waitUntil(
        async () => (await attribute(QueueUrl, "VisibilityTimeout")) === seconds,
        10_000,
        `VisibilityTimeout ${seconds}`,
      );
      await page.getByRole("status").filter({ hasText: "Saved: VisibilityTimeout." }).waitFor();
    }
  });

  it("saves what the Edit form shows when another tab changed the queue meanwhile", async () => {
    // Given this tab on Edit with a visibility timeout of 30, and another tab that saves 60
    const QueueUrl = await broker.createQueue({ VisibilityTimeout: "30" });
    await open(QueueUrl, "edit");
    const name = decodeURIComponent(QueueUrl.split("/").at(-1)!);
    const { page: other } = await openPage(browser, `${broker.consoleUrl}#/queues/${name}/edit`);
    try {
      await other.getByLabel("Visibility timeout (seconds)").fill("60");
      await other.getByRole("button", { name: "Save" }).click();
      await other.getByRole("status").filter({ hasText: "Saved: VisibilityTimeout." }).waitFor();
    } finally {
      await other.context().close();
    }
    // And this tab has read the queue's attributes since (it does every 5 s)
    await page.waitForResponse(
      (response) => response.request().headers()["x-amz-target"] === "AmazonSQS.GetQueueAttributes",
    );
    await sleep(100);

    // When this tab saves its form as it shows it, 30 is what the queue gets
    assert.equal(await page.getByLabel("Visibility timeout (seconds)").inputValue(), "30");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved: VisibilityTimeout." }).waitFor();
    assert.equal(await attribute(QueueUrl, "VisibilityTimeout"), "30");
  });

  it("refuses in place a delay, a poll or a binary value it cannot send, and sends nothing", async () => {
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "send");
    await page.getByLabel("Message body").fill("not sent");
    for (const delay of ["abc", "5s", "-", "901"]) {
      await page.getByLabel("Delivery delay (seconds)").fill(delay);
      await page.getByRole("button", { name: "Send message" }).click();
      await page
        .getByRole("alert")
        .filter({ hasText: `Delivery delay must be a whole number from 0 to 900, not "${delay}"` })
        .waitFor();
    }
    await assertRefusedBeside("Delivery delay (seconds)", "Delivery delay must be");
    await page.getByLabel("Delivery delay (seconds)").fill("0");
    await page.getByRole("button", { name: "Add attribute" }).click();
    await page.getByLabel("Attribute 1 name").fill("price");
    await page.getByLabel("Attribute 1 type").selectOption("Binary");
    await page.getByLabel("Attribute 1 value").fill("prix: 5 €");
    await page.getByRole("button", { name: "Send message" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Binary attribute price takes its bytes in base64" })
      .waitFor();
    assert.equal(await attribute(QueueUrl, "ApproximateNumberOfMessages"), "0");
    assert.equal(await attribute(QueueUrl, "ApproximateNumberOfMessagesDelayed"), "0");

    // A base64 value is sent as those bytes
    await page.getByLabel("Attribute 1 value").fill("aGk=");
    await page.getByRole("button", { name: "Send message" }).click();
    await page.getByText(/^Message sent: /).waitFor();
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"] }),
    );
    assert.equal(Buffer.from(Messages[0]!.MessageAttributes!.price!.BinaryValue!).toString(), "hi");

    await page.getByLabel("Polling duration (seconds)").fill("0");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Polling duration must be a whole number from 1 to 3600" })
      .waitFor();
    await assertRefusedBeside("Polling duration (seconds)", "Polling duration must be");
    await page.getByLabel("Polling duration (seconds)").fill("1");
    await page.getByLabel("Maximum message count").fill("1001");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await assertRefusedBeside("Maximum message count", "Maximum message count must be");
  });

  /** The field is marked invalid, names the words said beside it, and has the focus. */
  async function assertRefusedBeside(label: string, text: string): Promise<void> {
    const field = page.getByLabel(label, { exact: true });
    await page.waitForFunction(
      `document.activeElement?.id === ${JSON.stringify(await field.getAttribute("id"))}`,
    );
    assert.equal(await field.getAttribute("aria-invalid"), "true", label);
    const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
    const said = await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).textContent();
    assert.ok(said?.startsWith(text), `${label}: ${said}`);
  }

  it("refuses in place message attributes with a name given twice or a value without a name, and sends nothing", async () => {
    // Given two attributes named color
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "send");
    await page.getByLabel("Message body").fill("not sent");
    for (const [row, name, value] of [
      [1, "color", "red"],
      [2, "color", "blue"],
    ] as const) {
      await page.getByRole("button", { name: "Add attribute" }).click();
      await page.getByLabel(`Attribute ${row} name`).fill(name);
      await page.getByLabel(`Attribute ${row} value`).fill(value);
    }
    const refused = async (row: number, text: string) => {
      const name = page.getByLabel(`Attribute ${row} name`);
      await page.getByRole("alert").filter({ hasText: text }).waitFor();
      assert.equal(await name.getAttribute("aria-invalid"), "true");
      const said = await page
        .locator(`[id="${await name.getAttribute("aria-describedby")}"]`)
        .textContent();
      assert.match(said ?? "", new RegExp(`^${text}`));
      await page.waitForFunction(
        `document.activeElement?.getAttribute("aria-label") === "Attribute ${row} name"`,
      );
    };
    await page.getByRole("button", { name: "Send message" }).click();
    await refused(2, 'Attributes 1 and 2 have the same name "color"');

    // When the second has a value but no name, that is refused too
    await page.getByLabel("Attribute 2 name").fill("");
    await page.getByRole("button", { name: "Send message" }).click();
    await refused(2, "Attribute 2 has a value but no name");
    assert.equal(await page.getByText(/^Message sent/).count(), 0);
    assert.equal(await attribute(QueueUrl, "ApproximateNumberOfMessages"), "0");
  });

  it("keeps the keyboard's focus on a button once its action is done (WCAG 2.4.3)", async () => {
    const focused = () => page.evaluate(`document.activeElement?.textContent?.trim() ?? ""`);
    const press = async (name: string) => {
      await page.getByRole("button", { name, exact: true }).focus();
      await page.keyboard.press("Enter");
    };
    // Edit's Save
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "edit");
    await page.getByLabel("Visibility timeout (seconds)").fill("45");
    await press("Save");
    await page.getByRole("status").filter({ hasText: "Saved: VisibilityTimeout." }).waitFor();
    assert.equal(await focused(), "Save", "after Save");

    // Send message, Poll (which becomes Stop polling, then Poll again) and Delete selected
    await open(QueueUrl, "send");
    await page.getByLabel("Message body").fill("kept in focus");
    await press("Send message");
    await page.getByText(/^Message sent: /).waitFor();
    assert.equal(await focused(), "Send message", "after Send message");
    await page.getByLabel("Polling duration (seconds)").fill("2");
    await press("Poll for messages");
    await page.getByRole("button", { name: "Stop polling" }).waitFor();
    assert.equal(await focused(), "Stop polling", "while polling");
    await page.getByText(/^Polling done: 1 messages? received/).waitFor();
    assert.equal(await focused(), "Poll for messages", "when polling ends");
    await page.getByRole("checkbox").last().check();
    await press("Delete selected (1)");
    await page.getByRole("button", { name: "Delete selected (0)" }).waitFor();
    assert.equal(await focused(), "Delete selected (0)", "after Delete selected");
    // ...but a poll ending leaves alone a focus the user took elsewhere (a click on the
    // page's text leaves it on the body): moving it would scroll the page away
    await press("Poll for messages");
    await page.getByRole("button", { name: "Stop polling" }).waitFor();
    await page.evaluate(`document.activeElement.blur()`);
    await page.getByRole("button", { name: "Poll for messages" }).waitFor();
    assert.equal(
      await page.evaluate(`document.activeElement === document.body`),
      true,
      "the focus was taken when the poll ended",
    );

    // Create queue, refused
    const name = decodeURIComponent(QueueUrl.split("/").at(-1)!);
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await press("Create queue");
    await page.getByRole("alert").filter({ hasText: "already exists" }).waitFor();
    assert.equal(await focused(), "Create queue", "after Create queue refused");

    // Removing the last tag row, or the last attribute row: Add takes the focus
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByRole("button", { name: "Remove tag 1" }).click();
    assert.equal(await focused(), "Add tag", "after the last tag row removed");
    await open(QueueUrl, "send");
    await page.getByRole("button", { name: "Add attribute" }).click();
    await page.getByRole("button", { name: "Remove attribute 1" }).click();
    assert.equal(await focused(), "Add attribute", "after the last attribute row removed");
  });

  it("removes tags named like a JavaScript object's own members", async () => {
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(
      new TagQueueCommand({ QueueUrl, Tags: { toString: "y", constructor: "x" } }),
    );
    await open(QueueUrl, "tags");
    await page.getByLabel("Tag 2 key").waitFor();
    await page.getByRole("button", { name: "Remove tag 2" }).click();
    await page.getByRole("button", { name: "Remove tag 1" }).click();
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByText("Tags saved.").waitFor();
    const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags ?? {}, {});
  });

  it("refuses in place tags with a key given twice or a value without a key, and sends nothing", async () => {
    // Given a queue tagged team=a, and two more rows with the same key
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { team: "a" } }));
    await open(QueueUrl, "tags");
    await page.getByLabel("Tag 1 key").waitFor();
    for (const [row, value] of [
      [2, "prod"],
      [3, "dev"],
    ] as const) {
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel(`Tag ${row} key`).fill("env");
      await page.getByLabel(`Tag ${row} value`).fill(value);
    }
    await page.getByRole("button", { name: "Save tags" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: 'Tags 2 and 3 have the same key "env"' })
      .waitFor();

    // When the second has a value but no key, that is refused too
    await page.getByLabel("Tag 3 key").fill("");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByRole("alert").filter({ hasText: "Tag 3 has a value but no key" }).waitFor();
    const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags, { team: "a" });
    assert.equal(await page.getByText("Tags saved.").count(), 0);

    // And the Create page refuses them before creating the queue
    const name = `tagged-${Date.now()}`;
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 value").fill("orphan");
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.getByRole("alert").filter({ hasText: "Tag 1 has a value but no key" }).waitFor();
    const { QueueUrls = [] } = await broker.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: name }),
    );
    assert.deepEqual(QueueUrls, []);
  });

  it("keeps the old tag when a renamed key is refused, and says truthfully what a failed removal left", async () => {
    // Given a queue tagged env=prod whose key is renamed to one of 132 characters
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: "prod" } }));
    await open(QueueUrl, "tags");
    await page.getByLabel("Tag 1 key").fill(`environment-${"x".repeat(120)}`);
    await page.getByRole("button", { name: "Save tags" }).click();

    // Then the broker's refusal is shown and the queue keeps env=prod
    await page
      .getByRole("alert")
      .filter({ hasText: "Tag keys must be between 1 and 128 characters" })
      .waitFor();
    const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags, { env: "prod" });

    // When the rename is to a good key but the removal of the old one is refused
    const refuseUntag = async (route: Route) => {
      if (route.request().headers()["x-amz-target"] !== "AmazonSQS.UntagQueue")
        return route.continue();
      await route.fulfill({
        status: 400,
        contentType: "application/x-amz-json-1.0",
        body: JSON.stringify({ __type: "com.amazonaws.sqs#InternalError", message: "refused" }),
      });
    };
    await page.route("**/*", refuseUntag);
    try {
      await page.getByLabel("Tag 1 key").fill("stage");
      await page.getByRole("button", { name: "Save tags" }).click();
      // Then the page says the new tag was saved and the old one kept
      await page
        .getByRole("alert")
        .filter({
          hasText:
            'The new and changed tags were saved, but the tag "env" was not removed: InternalError: refused',
        })
        .waitFor();
    } finally {
      await page.unroute("**/*", refuseUntag);
    }
    const { Tags: now } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(now, { env: "prod", stage: "prod" });

    // And saving again removes it
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByRole("status").filter({ hasText: "Tags saved." }).waitFor();
    const { Tags: last } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(last, { stage: "prod" });
  });

  it("edits the tags as saved, without waiting for them to be read again, and only once they are in", async () => {
    // Given a tagged queue whose tags the broker reads back slowly (1.5 s a ListQueueTags)
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { owner: "ops" } }));
    const slowTags = async (route: Route) => {
      if (route.request().headers()["x-amz-target"] === "AmazonSQS.ListQueueTags")
        await sleep(1_500);
      await route.continue();
    };
    await page.route("**/*", slowTags);
    try {
      // When the Tags tab opens, no tag can be edited before the queue's are shown
      await open(QueueUrl, "tags");
      await page.getByText("Loading…").waitFor();
      assert.equal(await page.getByRole("button", { name: "Add tag" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "Save tags" }).count(), 0);
      await page.getByLabel("Tag 1 key").waitFor();

      // And when a tag is added and saved, then another at once
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel("Tag 2 key").fill("env");
      await page.getByRole("button", { name: "Save tags" }).click();
      await page.getByRole("status").filter({ hasText: "Tags saved." }).waitFor();
      assert.deepEqual(
        [
          await page.getByLabel("Tag 1 key").inputValue(),
          await page.getByLabel("Tag 2 key").inputValue(),
        ],
        ["owner", "env"],
      );
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel("Tag 3 key").fill("team");
      await page.getByRole("button", { name: "Save tags" }).click();

      // Then the queue keeps all three: nothing saved first was taken away by the second
      let tags: Record<string, string> | undefined;
      for (let attempt = 0; attempt < 50 && !tags?.team; attempt++) {
        await sleep(100);
        ({ Tags: tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl })));
      }
      assert.deepEqual(tags, { owner: "ops", env: "", team: "" });
    } finally {
      await page.unroute("**/*", slowTags);
    }
  });

  it("takes an earlier success notice away when a new attempt fails", async () => {
    // Given tags saved, then a key given twice
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "tags");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 key").fill("env");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByRole("status").filter({ hasText: "Tags saved." }).waitFor();
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 2 key").fill("env");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByRole("alert").filter({ hasText: "the same key" }).waitFor();
    assert.equal(await page.getByText("Tags saved.").count(), 0);

    // And a poll done, then a polling duration refused
    await open(QueueUrl, "send");
    await page.getByLabel("Polling duration (seconds)").fill("1");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByRole("status").filter({ hasText: "Polling done" }).waitFor();
    await page.getByLabel("Polling duration (seconds)").fill("0");
    await page.getByRole("button", { name: "Poll for messages" }).click();
    await page.getByRole("alert").filter({ hasText: "Polling duration must be" }).waitFor();
    assert.equal(await page.getByText("Polling done").count(), 0);
  });

  it("opens an address with a stray % in it, and says the queue does not exist", async () => {
    await page.goto(`${broker.consoleUrl}#/queues/50%off/details`);
    await page.getByRole("alert").filter({ hasText: "QueueDoesNotExist" }).waitFor();
    await page.getByRole("link", { name: "Queues" }).first().waitFor();
  });

  it("creates with a blank KMS key as AWS's console does (its managed key), and refuses maximum receives that are not a whole number", async () => {
    const deadLetterUrl = await broker.createQueue();
    const deadLetter = decodeURIComponent(deadLetterUrl.split("/").at(-1)!);
    const name = `kms-${Date.now()}`;
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("AWS Key Management Service key (SSE-KMS)").check();
    await page.getByLabel("KMS key ID or alias").fill("");
    await page.getByLabel("Send messages received too often to a dead-letter queue").check();
    await page.getByLabel("Dead-letter queue", { exact: true }).selectOption({ label: deadLetter });
    await page.getByLabel("Maximum receives").fill("1e1");
    await page.getByRole("button", { name: "Create queue" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /maxReceiveCount/ })
      .waitFor();

    await page.getByLabel("Maximum receives").fill("10");
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.getByRole("heading", { name }).waitFor();
    const QueueUrl = deadLetterUrl.replace(/[^/]+$/, name);
    assert.equal(await attribute(QueueUrl, "KmsMasterKeyId"), "alias/aws/sqs");
    assert.match((await attribute(QueueUrl, "RedrivePolicy")) ?? "", /"maxReceiveCount":10/);
  });

  it("refuses in place, beside each field, settings that are incomplete or out of range, and sends nothing", async () => {
    // Given a dead-letter queue ticked but not chosen, "By queue" with no ARN, and 50000 s
    const name = `incomplete-${Date.now()}`;
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Visibility timeout (seconds)").fill("50000");
    await page.getByLabel("Send messages received too often to a dead-letter queue").check();
    await page.getByLabel(/^Restrict which source queues/).check();
    await page.getByLabel("By queue").check();
    await page.getByRole("button", { name: "Create queue" }).click();

    // Then each field says what is wrong, is marked invalid, and nothing is created
    const problems: [label: string, text: string][] = [
      [
        "Visibility timeout (seconds)",
        'Visibility timeout must be a whole number from 0 to 43200, not "50000".',
      ],
      ["Dead-letter queue", "Choose the dead-letter queue, or untick the box above."],
      [
        "Source queue ARNs (one a line, up to 10)",
        "Give the ARN of at least one source queue, or choose another permission.",
      ],
    ];
    for (const [label, text] of problems) {
      const field = page.getByLabel(label, { exact: true });
      await page.getByRole("alert").filter({ hasText: text }).waitFor();
      assert.equal(await field.getAttribute("aria-invalid"), "true", label);
      const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
      const said = await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).textContent();
      assert.equal(said, text, label);
    }
    assert.match(
      await page.locator("#set-visibility-hint").innerText(),
      /^0 to 43200 seconds: up to 12 hours\./,
    );
    const { QueueUrls = [] } = await broker.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: name }),
    );
    assert.deepEqual(QueueUrls, []);

    // And the Edit tab refuses a dead-letter queue not chosen, changing nothing
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "edit");
    await page.getByLabel("Send messages received too often to a dead-letter queue").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Choose the dead-letter queue, or untick the box above." })
      .waitFor();
    assert.equal(await attribute(QueueUrl, "RedrivePolicy"), undefined);
  });

  it("states the bounds of the receive panel's numbers beside them", async () => {
    const QueueUrl = await broker.createQueue();
    await open(QueueUrl, "send");
    for (const [label, bounds] of [
      ["Polling duration (seconds)", "1 to 3600."],
      ["Maximum message count", "1 to 1000."],
      ["Delivery delay (seconds)", /^0 to 900;/],
    ] as const) {
      const hintId = await page.getByLabel(label).getAttribute("aria-describedby");
      assert.match(await page.locator(`[id="${hintId}"]`).innerText(), new RegExp(bounds), label);
    }
  });

  it("says so when asked to create a queue under a name already taken, and changes nothing", async () => {
    const QueueUrl = await broker.createQueue();
    const name = decodeURIComponent(QueueUrl.split("/").at(-1)!);
    await page.goto(`${broker.consoleUrl}#/create`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create queue" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: `A queue named ${name} already exists.` })
      .waitFor();
    const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags ?? {}, {});
    assert.deepEqual(errors, []);
  });
});
