import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { AppError } from "../../../src/apps/app-error.ts";
import { LocalFolderStore } from "../../../src/apps/stores/local-folder-store.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import { RevisionLedger } from "../../../src/apps/stores/revision-ledger.ts";
import { ownerKey } from "../../../src/widgets/owner-key.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import {
  collect,
  courseJson,
  describeWidgetStoreContract,
  widget,
} from "./widget-store-contract.ts";

describeWidgetStoreContract("LocalFolderStore", async () => {
  const roots: string[] = [];
  return {
    hasKeyLayout: true,
    async open({ keyPrefix = "widgets/", ownerInKey = true } = {}) {
      const root = await tempDir();
      roots.push(root);
      const store = new LocalFolderStore(root, { keyPrefix, ownerInKey });
      return {
        store,
        async assertStored(stored: Widget, revision: number) {
          const owner = ownerInKey ? `${ownerKey(stored.owner)}/` : "";
          const file = path.join(root, `${keyPrefix}${owner}${stored.id}`);
          assert.deepEqual(JSON.parse(await readFile(file, "utf8")), courseJson(stored));
          const ledger = new RevisionLedger(path.join(root, ".mailroom", "revisions.sqlite"));
          assert.equal(ledger.read(stored.id), revision);
          ledger.close();
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
    await store.write(stored, 1);
    await store.write(stored, 2);

    assert.deepEqual(await readdir(path.join(root, "widgets", "mary-matthews")), [stored.id]);
    assert.deepEqual(await readdir(path.join(root, "widgets")), ["mary-matthews"]);
  });

  it("two stores on one folder: reads racing writes of the same widget never fail or tear", async () => {
    // Given: a second store on the same folder, as a second process would have.
    const other = new LocalFolderStore(root);
    const versions = Array.from({ length: 40 }, (_, i) => widget({ label: `version ${i}` }));
    const id = versions[0]!.id;
    const sameWidget = versions.map((version) => ({ ...version, id }));
    await store.write(sameWidget[0]!, 1);

    // When: one writes every version while the other keeps reading.
    let writing = true;
    const writer = (async () => {
      for (const [i, version] of sameWidget.entries()) await store.write(version, i + 1);
      writing = false;
    })();
    const seen: { label: string | null; revision: number }[] = [];
    while (writing) {
      const { widget: read, revision } = await other.read(sameWidget[0]!);
      assert.ok(read, "the widget is always there");
      seen.push({ label: read.label, revision });
    }
    await writer;

    // Then: each read was one whole version, its revision never ahead of it.
    for (const { label, revision } of seen) {
      const version = Number(label!.slice("version ".length));
      assert.ok(revision <= version + 1, `revision ${revision} ahead of ${label}`);
    }
    assert.deepEqual(await other.read(sameWidget[0]!), { widget: sameWidget.at(-1), revision: 40 });
    await other.close();
  });

  it("list skips strays: temp files, other files, a widget filed under the wrong key", async () => {
    const stored = widget();
    await store.write(stored, 1);
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

  it("refuses ids that would leave the folder", async () => {
    const escaping = widget({ id: "../../etc" });
    await assert.rejects(store.write(escaping, 1), AppError);
    await assert.rejects(store.read({ id: "a/b", owner: "Mary Matthews" }), AppError);
  });

  it("lists a prefix that is not a folder name literally, as S3 would", async () => {
    const glued = new LocalFolderStore(root, { keyPrefix: "w-", ownerInKey: false });
    const stored = widget();
    await glued.write(stored, 1);

    assert.ok((await readdir(root)).includes(`w-${stored.id}`));
    assert.deepEqual(await collect(glued.list()), [stored]);
    await glued.close();
  });

  it("is what openWidgetStore opens for kind folder", async () => {
    const opened = await openWidgetStore({ kind: "folder", dir: root, ownerInKey: false });
    const stored = widget();
    await opened.write(stored, 1);

    assert.equal(opened.kind, "the local folder");
    assert.equal(opened.location, path.join(root, "widgets/"));
    assert.deepEqual(await store.read(stored), { widget: undefined, revision: 1 });
    assert.deepEqual(await opened.read(stored), { widget: stored, revision: 1 });
    await opened.close();
  });
});

function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "mailroom-widgets-"));
}
