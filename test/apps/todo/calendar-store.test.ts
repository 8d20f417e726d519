import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CalendarStore } from "../../../src/apps/todo/calendar-store.ts";
import { calendarEtag } from "../../../src/apps/todo/calendar-store.ts";
import { FolderCalendarStore } from "../../../src/apps/todo/folder-calendar-store.ts";
import { S3CalendarStore } from "../../../src/apps/todo/s3-calendar-store.ts";
import { startS3Server } from "../../support/s3-server.ts";
import type { TestS3Server } from "../../support/s3-server.ts";

/** One contract, proved against every store. */
function calendarStoreContract(name: string, open: () => Promise<CalendarStore>) {
  describe(`${name} calendar store`, () => {
    it("has nothing for a user never rendered", async () => {
      const store = await open();
      assert.equal(await store.latest("nobody"), undefined);
    });

    it("serves the newest version, whatever order the versions were stored in", async () => {
      const store = await open();
      const before = Date.now();
      await store.put("alice", 3, "three");
      await store.put("alice", 5, "five");
      await store.put("alice", 4, "four (a slow worker, finishing last)");
      const latest = await store.latest("alice");
      assert.equal(latest?.version, 5);
      assert.equal(latest?.ics, "five");
      assert.equal(latest?.etag, calendarEtag("five"));
      assert.ok(latest!.renderedAt >= before - 1000 && latest!.renderedAt <= Date.now() + 1000);
    });

    it("keeps users apart", async () => {
      const store = await open();
      await store.put("bob", 1, "bob's");
      await store.put("carol", 2, "carol's");
      assert.equal((await store.latest("bob"))?.ics, "bob's");
      assert.equal((await store.latest("carol"))?.ics, "carol's");
    });

    it("refuses a user id that is not one", async () => {
      const store = await open();
      await assert.rejects(store.put("../etc", 1, "x"), /not a user id/);
    });
  });
}

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

calendarStoreContract("folder", async () => {
  const folder = mkdtempSync(join(tmpdir(), "mailroom-calendars-"));
  folders.push(folder);
  return new FolderCalendarStore(folder);
});

describe("with s3rver", () => {
  let server: TestS3Server;
  before(async () => {
    server = await startS3Server();
  });
  after(async () => server?.close());
  calendarStoreContract(
    "S3",
    async () => new S3CalendarStore({ s3: server.s3, bucket: await server.createBucket() }),
  );
});

describe("folder calendar store", () => {
  it("drops older versions once a newer one is stored", async () => {
    const folder = mkdtempSync(join(tmpdir(), "mailroom-calendars-"));
    folders.push(folder);
    const store = new FolderCalendarStore(folder);
    for (const version of [1, 2, 3]) await store.put("dave", version, `v${version}`);
    assert.deepEqual(readdirSync(join(folder, "dave")), ["000000000003.ics"]);
  });
});
