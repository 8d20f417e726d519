import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { AppError } from "../../../src/apps/app-error.ts";
import { LocalFolderStore } from "../../../src/apps/stores/local-folder-store.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import { WidgetStateLedger } from "../../../src/apps/stores/widget-state-ledger.ts";
import { ownerKey } from "../../../src/widgets/owner-key.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { visibleWidget } from "../../../src/widgets/widget-state.ts";
import {
  applyTo,
  collect,
  courseJson,
  createOf,
  describeWidgetStoreContract,
  updateOf,
  widget,
} from "./widget-store-contract.ts";

describeWidgetStoreContract("LocalFolderStore", async () => {
  const roots: string[] = [];
  return {
    unstorable: { owner: "A".repeat(300) },
    hasKeyLayout: true,
    async open({ keyPrefix = "widgets/", ownerInKey = true } = {}) {
      const root = await tempDir();
      roots.push(root);
      const store = new LocalFolderStore(root, { keyPrefix, ownerInKey });
      const fileOf = (stored: Widget) =>
        path.join(
          root,
          `${keyPrefix}${ownerInKey ? `${ownerKey(stored.owner)}/` : ""}${stored.id}`,
        );
      return {
        store,
        reopen: async () => new LocalFolderStore(root, { keyPrefix, ownerInKey }),
        async assertStored(stored: Widget) {
          assert.deepEqual(JSON.parse(await readFile(fileOf(stored), "utf8")), courseJson(stored));
          const ledger = new WidgetStateLedger(
            path.join(root, ".mailroom", "widget-states.sqlite"),
          );
          assert.deepEqual(visibleWidget(ledger.read(stored.id)!), stored);
          ledger.close();
        },
        async storeForeign(stored: Widget) {
          await mkdir(path.dirname(fileOf(stored)), { recursive: true });
          await writeFile(fileOf(stored), JSON.stringify(courseJson(stored)));
        },
      };
    },
    async dispose() {
      await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
    },
  };
});

describe("LocalFolderStore", () => {
  let root: string;
  let store: LocalFolderStore;

  beforeEach(async () => {
    root = await tempDir();
    store = new LocalFolderStore(root);
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it("leaves no temp files behind", async () => {
    const stored = widget();
    await applyTo(store, createOf(stored));
    await applyTo(store, updateOf(stored, { label: "again" }));

    assert.deepEqual(await readdir(path.join(root, "widgets", "mary-matthews")), [stored.id]);
    assert.deepEqual(await readdir(path.join(root, "widgets")), ["mary-matthews"]);
  });

  it("two stores on one folder: reads racing changes of the same widget never fail or tear", async () => {
    // Given: a second store on the same folder, as a second process would have.
    const other = new LocalFolderStore(root);
    const created = widget({ label: "version 0" });
    await applyTo(store, createOf(created));

    // When: one applies 40 updates while the other keeps reading.
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 40; i += 1)
        await applyTo(store, updateOf(created, { label: `version ${i}` }));
      writing = false;
    })();
    const seen: (string | null)[] = [];
    while (writing) {
      // A turn of the event loop between reads: changes commit on the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      const read = await other.read(created);
      assert.ok(read, "the widget is always there");
      seen.push(read.label);
    }
    await writer;

    // Then: each read was one whole version, in order.
    const versions = seen.map((label) => Number(label!.slice("version ".length)));
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
    );
    assert.equal((await other.read(created))?.label, "version 40");
    await other.close();
  });

  it("list skips strays: temp files, other files, a widget filed under the wrong key", async () => {
    const stored = widget();
    await applyTo(store, createOf(stored));
    const ownerDir = path.join(root, "widgets", "mary-matthews");
    await writeFile(path.join(ownerDir, `.${stored.id}.123-abcd.tmp`), "{half a wid");
    await writeFile(path.join(ownerDir, "notes"), "not JSON");
    await writeFile(path.join(root, "widgets", "README"), "a file beside the owners");
    await mkdir(path.join(root, "widgets", "sue-smith"));
    const misfiled = widget({ owner: "John Jones" });
    await writeFile(path.join(root, "widgets", "sue-smith", misfiled.id), JSON.stringify(misfiled));

    assert.deepEqual(await collect(store.list()), [stored]);
  });

  it("a file that is not a widget is reported on read, naming the file", async () => {
    const stored = widget();
    const file = path.join(root, "widgets", "mary-matthews", stored.id);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "not JSON");

    await assert.rejects(store.read(stored), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.match(error.message, new RegExp(stored.id));
      return true;
    });
  });

  it("changes asked for in one turn commit together, and one that fails takes no other with it", async () => {
    const good = widget();
    const bad = widget({ owner: "John Jones" });

    const [saved, failed] = await Promise.allSettled([
      applyTo(store, createOf(good)),
      store.update(bad, () => {
        throw new Error("this change fails");
      }),
    ]);

    assert.equal(saved.status, "fulfilled");
    assert.equal(failed.status, "rejected");
    assert.match(String((failed as PromiseRejectedResult).reason), /this change fails/);
    assert.deepEqual(await store.read(good), good);
    assert.equal(await store.read(bad), undefined);
    const reopened = new LocalFolderStore(root);
    assert.deepEqual(await reopened.read(good), good);
    await reopened.close();
  });

  it("refuses ids that would leave the folder", async () => {
    const escaping = widget({ id: "../../etc" });
    await assert.rejects(applyTo(store, createOf(escaping)), AppError);
    await assert.rejects(store.read({ id: "a/b", owner: "Mary Matthews" }), AppError);
  });

  it("takes a prefix with no trailing / as a folder name, and says where that folder is", async () => {
    for (const ownerInKey of [true, false]) {
      const dir = await tempDir();
      const named = new LocalFolderStore(dir, { keyPrefix: "w", ownerInKey });
      const stored = widget();
      await applyTo(named, createOf(stored));

      const owner = ownerInKey ? [ownerKey(stored.owner)] : [];
      assert.deepEqual((await readdir(dir)).sort(), [".mailroom", "w"]);
      assert.ok((await readdir(path.join(dir, "w", ...owner))).includes(stored.id));
      assert.equal(named.location, path.join(dir, "w/"));
      assert.deepEqual(await collect(named.list()), [stored]);
      await named.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("is what openWidgetStore opens for kind folder", async () => {
    const opened = await openWidgetStore({ kind: "folder", dir: root, ownerInKey: false });
    const stored = widget();
    await applyTo(opened, createOf(stored));

    assert.equal(opened.kind, "the local folder");
    assert.equal(opened.location, path.join(root, "widgets/"));
    assert.equal(await store.read(stored), undefined, "not under the owner's folder");
    assert.deepEqual(await opened.read(stored), stored);
    await opened.close();
  });
});

function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "mailroom-widgets-"));
}
