import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { Browser } from "playwright-core";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { browserSkip, launchBrowser, openPage } from "../../support/browser.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { screenshot } from "../../support/console-screenshots.ts";

const ACCOUNT = "000000000000";
const CONSOLE_KEY = { accessKeyId: "AKIDCONSOLEUSER", secretAccessKey: "console-secret" };

/**
 * With `--auth sigv4` the console has no way in without access keys: it asks
 * for them, signs every request in the browser (WebCrypto), and keeps them in
 * session storage only.
 */
describe("the console on a broker with SigV4", { skip: browserSkip }, () => {
  let broker: TestBroker;
  let browser: Browser;

  before(async () => {
    broker = await startTestBroker({
      consolePort: 0,
      clock: systemClock,
      inMemory: true,
      auth: {
        mode: "sigv4",
        credentials: [
          // The harness's own SDK client signs with these.
          { accessKeyId: "AKIDMAILROOMTEST", secretAccessKey: "secret", accountId: ACCOUNT },
          { ...CONSOLE_KEY, accountId: ACCOUNT },
        ],
      },
    });
    await broker.sqs.send(new CreateQueueCommand({ QueueName: "signed-only" }));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await broker?.close();
  });

  it("serves no data unsigned: the API answers MissingAuthenticationToken", async () => {
    for (const path of ["_mailroom/queues", "_mailroom/metrics/signed-only"]) {
      const answer = await fetch(new URL(path, broker.consoleUrl));
      assert.equal(answer.status, 403, path);
    }
  });

  it("asks for access keys, refuses a wrong secret with AWS's message, then signs every request", async () => {
    const { page, errors } = await openPage(browser, broker.consoleUrl!);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "sign-in");
    await page.getByLabel("Access key ID").fill(CONSOLE_KEY.accessKeyId);
    await page.getByLabel("Secret access key").fill("not-the-secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "SignatureDoesNotMatch" });
    await refused.waitFor();
    assert.match(await refused.innerText(), /does not match this access key ID/);
    assert.doesNotMatch(await refused.innerText(), /Canonical/);

    await page.getByLabel("Secret access key").fill(CONSOLE_KEY.secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /^Queues/ }).waitFor();
    await page.getByRole("link", { name: "signed-only" }).waitFor();

    // Run in the page, written as text: these tests are type-checked without the DOM's types.
    const stored = (await page.evaluate(
      `({ session: sessionStorage.getItem("mailroom.credentials"), local: localStorage.length, cookies: document.cookie })`,
    )) as { session: string | null; local: number; cookies: string };
    assert.match(stored.session ?? "", /AKIDCONSOLEUSER/);
    assert.equal(stored.local, 0, "nothing in local storage");
    assert.equal(stored.cookies, "", "no cookie");

    // A reload keeps the session; the monitoring charts load signed too.
    await page.goto(`${broker.consoleUrl}#/queues/signed-only/monitoring`);
    await page.locator('[data-metric="NumberOfMessagesSent"] canvas').waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await page.evaluate("sessionStorage.length"), 0);
    assert.deepEqual(errors, []);
  });

  it("a new tab of the same browser starts signed out, while the signed-in tab stays so", async () => {
    // Given a tab signed in
    const { page } = await openPage(browser, broker.consoleUrl!);
    await page.getByLabel("Access key ID").fill(CONSOLE_KEY.accessKeyId);
    await page.getByLabel("Secret access key").fill(CONSOLE_KEY.secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "signed-only" }).waitFor();

    // When another tab of the same browser profile opens the console
    const second = await page.context().newPage();
    await second.goto(broker.consoleUrl!);

    // Then it asks for keys (they live in the first tab's session storage only)
    await second.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await second.evaluate("sessionStorage.length"), 0);
    // And the first tab is still signed in after a reload
    await page.reload();
    await page.getByRole("link", { name: "signed-only" }).waitFor();
  });
});
