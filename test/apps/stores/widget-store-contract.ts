import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import type { WidgetStore } from "../../../src/apps/stores/widget-store.ts";
import type { Widget } from "../../../src/widgets/widget.ts";

/** The key layout a store was opened with; `{}` means the defaults (`widgets/`, owner in key). */
export interface LayoutOptions {
  keyPrefix?: string;
  ownerInKey?: boolean;
}

/** A store under test and a look at its medium behind its back. */
export interface OpenedStore {
  store: WidgetStore;
  /**
   * Asserts, on the bucket, folder or table itself, that `widget` is stored
   * where and how the course (and Mailroom's bookkeeping) say it should be.
   */
  assertStored(widget: Widget, revision: number): Promise<void>;
}

/** How the shared suite gets at one kind of store. */
export interface WidgetStoreHarness {
  /** Whether the store has keys (prefix, owner in key), as a bucket or folder does. */
  readonly hasKeyLayout: boolean;
  /** A new, empty store: a fresh folder, bucket or table. */
  open(layout?: LayoutOptions): Promise<OpenedStore>;
  /** Stops servers and removes temp dirs. */
  dispose(): Promise<void>;
}

/**
 * The WidgetStore contract (see widget-store.ts), proved the same way on
 * every store. The harness is made once per file (servers are slow to
 * start); every test opens its own empty store.
 */
export function describeWidgetStoreContract(
  storeName: string,
  createHarness: () => Promise<WidgetStoreHarness>,
): void {
  describe(`${storeName}: the WidgetStore contract`, () => {
    let harness: WidgetStoreHarness;
    const opened: WidgetStore[] = [];

    before(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    after(async () => {
      await harness.dispose();
    });

    async function open(layout: LayoutOptions = {}): Promise<OpenedStore> {
      const result = await harness.open(layout);
      opened.push(result.store);
      return result;
    }

    it("reads back what it wrote, null label and description included", async () => {
      const { store } = await open();
      const plain = widget({ label: null, description: null, otherAttributes: [] });
      const full = widget();

      await store.write(plain, 1);
      await store.write(full, 4);

      assert.deepEqual(await store.read(plain), { widget: plain, revision: 1 });
      assert.deepEqual(await store.read(full), { widget: full, revision: 4 });
    });

    it("knows nothing of a widget never written", async () => {
      const { store } = await open();
      assert.deepEqual(await store.read(widget()), { widget: undefined, revision: 0 });
    });

    it("a write replaces the widget as a whole, and its revision", async () => {
      const { store } = await open();
      const first = widget();
      const second: Widget = {
        ...first,
        label: null,
        description: "now described",
        otherAttributes: [{ name: "size", value: "XL" }],
      };

      await store.write(first, 1);
      await store.write(second, 2);

      assert.deepEqual(await store.read(first), { widget: second, revision: 2 });
    });

    it("remove says whether the widget was there: true, then false", async () => {
      const { store } = await open();
      const present = widget();
      await store.write(present, 1);

      assert.equal(await store.remove(present, 2), true);
      assert.equal(await store.remove(present, 2), false);
      assert.equal((await store.read(present)).widget, undefined);
    });

    it("after a remove, read says the delete's revision (a tombstone), even of a widget never there", async () => {
      const { store } = await open();
      const gone = widget();
      await store.write(gone, 1);
      await store.remove(gone, 2);
      const neverThere = widget();
      assert.equal(await store.remove(neverThere, 5), false);

      assert.deepEqual(
        [(await store.read(gone)).revision, (await store.read(neverThere)).revision],
        [2, 5],
      );
      assert.equal((await store.read(gone)).widget, undefined);
    });

    it("a widget written again after its delete is read with its new revision", async () => {
      const { store } = await open();
      const again = widget();
      await store.write(again, 1);
      await store.remove(again, 2);

      await store.write(again, 3);

      assert.deepEqual(await store.read(again), { widget: again, revision: 3 });
    });

    it("revision 0 means not numbered: read says 0 afterwards", async () => {
      const { store } = await open();
      const written = widget();
      const removed = widget();
      await store.write(written, 3);
      await store.write(removed, 3);

      await store.write(written, 0);
      await store.remove(removed, 0);

      assert.deepEqual(await store.read(written), { widget: written, revision: 0 });
      assert.deepEqual(await store.read(removed), { widget: undefined, revision: 0 });
    });

    it("keeps other-attributes exactly: order, odd names, names of its own fields", async () => {
      const { store } = await open();
      const odd = widget({
        otherAttributes: [
          { name: "size-unit", value: "cm" },
          { name: "id", value: "not the id" },
          { name: "owner", value: "not the owner" },
          { name: "label", value: "an attribute called label" },
          { name: "widget_revision", value: "99" },
          { name: "last_modified_on", value: "yesterday" },
          { name: "other_attribute_names", value: "[]" },
          { name: "attribute_owner", value: "escaped twice" },
          { name: "note with spaces.and.dots", value: 'ünïcode ✓ "quoted"' },
          { name: "color", value: "red" },
        ],
      });

      await store.write(odd, 1);

      assert.deepEqual(await store.read(odd), { widget: odd, revision: 1 });
      assert.deepEqual(await collect(store.list()), [odd]);
    });

    it("lists exactly the live widgets", async () => {
      const { store } = await open();
      const kept = [widget(), widget({ owner: "Sue Smith" }), widget({ owner: "Henry Hops" })];
      const removed = widget();
      for (const each of [...kept, removed]) await store.write(each, 1);
      await store.remove(removed, 2);
      await store.remove(widget(), 1);

      assert.deepEqual(byId(await collect(store.list())), byId(kept));
    });

    it("an empty store lists nothing", async () => {
      const { store } = await open();
      assert.deepEqual(await collect(store.list()), []);
    });

    it("stores each widget where and how the course expects", async () => {
      const { store, assertStored } = await open();
      const stored = widget({ label: null });

      await store.write(stored, 7);

      await assertStored(stored, 7);
    });

    it("writes of many different widgets at once all land", async () => {
      const { store } = await open();
      const many = Array.from({ length: 24 }, (_, i) =>
        widget({ owner: OWNERS[i % OWNERS.length], label: `widget ${i}` }),
      );

      await Promise.all(many.map((each, i) => store.write(each, i + 1)));

      assert.deepEqual(byId(await collect(store.list())), byId(many));
      const reads = await Promise.all(many.map((each) => store.read(each)));
      assert.deepEqual(
        reads,
        many.map((each, i) => ({ widget: each, revision: i + 1 })),
      );
    });

    describe("key layout", () => {
      it("without the owner in the key, still reads, lists and lays out", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store, assertStored } = await open({ ownerInKey: false });
        const stored = widget();

        await store.write(stored, 2);

        assert.deepEqual(await store.read(stored), { widget: stored, revision: 2 });
        assert.deepEqual(await collect(store.list()), [stored]);
        await assertStored(stored, 2);
      });

      it("under another prefix", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store, assertStored } = await open({ keyPrefix: "shop/widgets-v2/" });
        const stored = widget();

        await store.write(stored, 1);

        assert.deepEqual(await collect(store.list()), [stored]);
        await assertStored(stored, 1);
      });

      it("with an empty prefix and no owner, its own bookkeeping never lists as a widget", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store } = await open({ keyPrefix: "", ownerInKey: false });
        const kept = widget();
        const removed = widget();
        await store.write(kept, 1);
        await store.write(removed, 1);

        await store.remove(removed, 2);

        assert.deepEqual(await collect(store.list()), [kept]);
      });
    });
  });
}

export const OWNERS = ["Mary Matthews", "John Jones", "Sue Smith", "Henry Hops"];

/** A widget with a fresh id; Mary Matthews', labelled, with two attributes unless told. */
export function widget(overrides: Partial<Widget> = {}): Widget {
  return {
    id: randomUUID(),
    owner: "Mary Matthews",
    label: "Blue gizmo",
    description: "A gizmo, blue",
    otherAttributes: [
      { name: "color", value: "blue" },
      { name: "size-unit", value: "cm" },
    ],
    ...overrides,
  };
}

/** The widget JSON the course's buckets hold, as a plain object to compare with. */
export function courseJson(stored: Widget): unknown {
  const { id, owner, label, description, otherAttributes } = stored;
  return { id, owner, label, description, otherAttributes };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function byId(widgets: readonly Widget[]): Widget[] {
  return [...widgets].sort((a, b) => a.id.localeCompare(b.id));
}
