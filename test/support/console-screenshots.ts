import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";

/**
 * Where the browser tests put their screenshots: docs/console/ when
 * MAILROOM_SCREENSHOTS=1 (`npm run docs:screenshots`, which refreshes the
 * pictures in docs/console.md), else a temporary folder, so a test run
 * leaves the work tree clean but still takes every picture.
 */
const DIR =
  process.env.MAILROOM_SCREENSHOTS === "1"
    ? resolve(import.meta.dirname, "../../docs/console")
    : mkdtempSync(join(tmpdir(), "mailroom-console-shots-"));
mkdirSync(DIR, { recursive: true });

/** A PNG of the page as it is, 1000 px wide, the whole page's height. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(DIR, `${name}.png`), fullPage: true, animations: "disabled" });
}
