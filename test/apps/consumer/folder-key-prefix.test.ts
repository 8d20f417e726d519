import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  cleanUp,
  requestsInFolder,
  startConsumer,
  tempDir,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";

after(cleanUp);

describe("the consumer's --widget-key-prefix in a folder", () => {
  it("takes a prefix with no trailing / as a folder, and names that folder in its start line", async () => {
    // Given one create in a request folder
    const requestDir = join(tempDir(), "requests");
    mkdirSync(requestDir);
    const create = widgetRequest("create", randomUUID(), { owner: "Bob Brown" });
    writeFileSync(join(requestDir, "1612306373799"), JSON.stringify(create));

    // When a consumer takes it into a widget folder, with -wkp w
    const widgetDir = join(tempDir(), "out");
    const run = startConsumer(["--request-dir", requestDir], {
      storeFlags: ["--widget-dir", widgetDir, "-wkp", "w"],
    });
    const start = await run.cli.waitFor(/^Consumer \d+: .*$/m);
    await waitUntil("the request folder to empty", () => requestsInFolder(requestDir) === 0);
    const exit = await run.cli.stop("SIGTERM");

    // Then the widget is in the folder w, which is the folder the start line names
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(existsSync(join(widgetDir, "w", "bob-brown", create.widgetId)));
    assert.ok(start[0].endsWith(`-> the local folder (${join(widgetDir, "w")}/)`), start[0]);
  });

  it("refuses at start, in one line, to put widgets straight into the request folder", async () => {
    // Given one create in a request folder
    const work = tempDir();
    const requestDir = join(work, "requests");
    mkdirSync(requestDir);
    writeFileSync(join(requestDir, "1612306373799"), JSON.stringify(widgetRequest("create", "w1")));

    for (const [widgetDir, prefix] of [
      [requestDir, ""],
      // The same folder by another path: widgets/ under its parent
      [join(requestDir, "..", "."), "requests"],
    ] as const) {
      // When a consumer is told to keep widgets there without the owner in the key
      const run = startConsumer(["--request-dir", requestDir], {
        storeFlags: ["--widget-dir", widgetDir, "-wkp", prefix, "--no-use-owner-in-prefix"],
        maxRuntimeMs: 3_000,
      });
      const exit = await run.cli.exited;

      // Then it says why and exits 2, and the request is still there, untaken
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(
        exit.stderr,
        `mailroom: --widget-dir ${widgetDir} with --widget-key-prefix ${JSON.stringify(prefix)} ` +
          `and --no-use-owner-in-prefix puts each widget's file in the request folder ${requestDir}, ` +
          "where the consumer takes requests from, and would take them for requests; " +
          "give another --widget-key-prefix or --widget-dir, or keep the owner in the key\n",
      );
      assert.deepEqual(readdirSync(requestDir), ["1612306373799"]);
    }
  });
});
