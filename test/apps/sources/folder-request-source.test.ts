import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { FolderRequestSource } from "../../../src/apps/sources/folder-request-source.ts";

describe("the folder source", () => {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-folder-source-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("dates a request whose name is not a timestamp by when it was written, so later ones sort later", async () => {
    // Given three requests named req-1..3, written in another order
    for (const name of ["req-2", "req-3", "req-1"]) {
      writeFileSync(join(dir, name), `{"name":"${name}"}`);
      await sleep(20);
    }
    const source = new FolderRequestSource(dir, pino({ level: "silent" }));
    const stop = new AbortController();

    // When they are received
    const received = [];
    for (let i = 0; i < 3; i++) received.push(await source.receive(stop.signal));
    stop.abort();
    await source.close();

    // Then, taken in name order, each is dated by its writing, not left undated
    assert.deepEqual(
      received.map((request) => request?.id),
      ["req-1", "req-2", "req-3"],
    );
    const [one, two, three] = received.map((request) => request?.sentAt);
    assert.ok(
      [one, two, three].every((sentAt) => typeof sentAt === "number"),
      String([one, two, three]),
    );
    assert.ok(two! < three! && three! < one!, `written 2, 3, 1; dated ${[one, two, three]}`);
  });
});
