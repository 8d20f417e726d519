import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  cleanUp,
  readLog,
  readStats,
  readWidgets,
  startConsumer,
  tempDir,
  waitUntil,
  widgetRequest,
} from "./consumer-fixture.ts";

after(cleanUp);

describe("the consumer on a request folder another consumer left claims in", () => {
  it("takes back requests whose claim ended and leaves claims still running alone", async () => {
    // Given a request folder holding: a request claimed by a consumer that was
    // killed an hour ago, one claimed by a live consumer for another minute,
    // and one waiting
    const requestDir = join(tempDir(), "requests");
    const claimedDir = join(requestDir, ".claimed");
    mkdirSync(claimedDir, { recursive: true });
    const abandoned = widgetRequest("create", "abandoned-widget");
    const held = widgetRequest("create", "held-widget");
    const waiting = widgetRequest("create", "waiting-widget");
    writeFileSync(join(claimedDir, "1000000000001"), JSON.stringify(abandoned));
    writeFileSync(join(claimedDir, "1000000000002"), JSON.stringify(held));
    writeFileSync(join(requestDir, "1000000000003"), JSON.stringify(waiting));
    // A claim's mtime is the moment it ends.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const inAMinute = new Date(Date.now() + 60_000);
    utimesSync(join(claimedDir, "1000000000001"), hourAgo, hourAgo);
    utimesSync(join(claimedDir, "1000000000002"), inAMinute, inAMinute);

    // When a consumer runs on the folder
    const run = startConsumer(["--request-dir", requestDir, "--queue-visibility-timeout", "5"]);
    await waitUntil("the abandoned and the waiting request to be applied", async () => {
      const ids = [...(await readWidgets(run.widgetDir)).keys()];
      return ids.includes("abandoned-widget") && ids.includes("waiting-widget");
    });
    const exit = await run.cli.stop("SIGTERM");

    // Then it put the abandoned request back, with its receive count raised, and applied it
    assert.equal(exit.code, 0, exit.stderr);
    const putBack = readLog(run)
      .split("\n")
      .filter((line) => line.includes("Put request 1000000000001 back"));
    assert.equal(putBack.length, 1, readLog(run));
    assert.equal((JSON.parse(putBack[0]!) as { receiveCount: number }).receiveCount, 1);
    assert.equal(readStats(run.statsFile)?.created, 2);
    // And the live claim is untouched: still claimed, not applied
    assert.equal(readFileSync(join(claimedDir, "1000000000002"), "utf8"), JSON.stringify(held));
    assert.equal((await readWidgets(run.widgetDir)).has("held-widget"), false);
    assert.equal(existsSync(join(requestDir, "1000000000001")), false);
  });
});
