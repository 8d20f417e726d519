import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import type { WidgetStore } from "../../../src/apps/stores/widget-store.ts";
import { UnstorableWidgetError } from "../../../src/apps/stores/unstorable-widget-error.ts";
import { positionOf } from "../../../src/widgets/request-position.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { applyRequest } from "../../../src/widgets/widget-state.ts";

/** The key layout a store was opened with; `{}` means the defaults (`widgets/`, owner in key). */
export interface LayoutOptions {
  keyPrefix?: string;
  ownerInKey?: boolean;
}

/** A store under test and a look at its medium behind its back. */
export interface OpenedStore {
  store: WidgetStore;
  /** Another store on the same bucket, folder or table, as a second consumer process has. */
  reopen(): Promise<WidgetStore>;
  /**
   * Asserts, on the bucket, folder or table itself, that `widget` is stored
   * where and how the course says it should be, with its state beside it.
   */
  assertStored(widget: Widget): Promise<void>;
  /** Stores `widget` as another program would: the course's format, no state. */
  storeForeign(widget: Widget): Promise<void>;
}

/** How the shared suite gets at one kind of store. */
export interface WidgetStoreHarness {
  /** Whether the store has keys (prefix, owner in key), as a bucket or folder does. */
  readonly hasKeyLayout: boolean;
  /** What makes a widget this store can never hold: an owner too long for a key, a widget too big. */
  readonly unstorable: Partial<Widget>;
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

    it("a create stores the widget, null label and description included; read and list give it back", async () => {
      const { store } = await open();
      const plain = widget({ label: null, description: null, otherAttributes: [] });
      const full = widget();

      await applyTo(store, createOf(plain));
      await applyTo(store, createOf(full));

      assert.deepEqual(await store.read(plain), plain);
      assert.deepEqual(await store.read(full), full);
      assert.deepEqual(byId(await collect(store.list())), byId([plain, full]));
    });

    it("refuses a widget it can never hold as unstorable, and keeps nothing of it", async () => {
      const { store } = await open();
      const kept = widget();
      await applyTo(store, createOf(kept));
      const unstorable = widget(harness.unstorable);

      await assert.rejects(applyTo(store, createOf(unstorable)), UnstorableWidgetError);

      assert.deepEqual(await collect(store.list()), [kept]);
      // No state of it either: a create produced before it, of a widget the
      // store can hold, is not taken for an earlier one and applies.
      const storable = { ...widget(), id: unstorable.id };
      await applyTo(store, createOf(storable), 0);
      assert.deepEqual(await store.read(storable), storable);
    });

    it("knows nothing of a widget never written", async () => {
      const { store } = await open();
      assert.equal(await store.read(widget()), undefined);
    });

    it("an update changes what it mentions; a delete removes the widget", async () => {
      const { store } = await open();
      const created = widget();
      await applyTo(store, createOf(created), 1);

      await applyTo(
        store,
        updateOf(created, {
          label: "",
          description: "now described",
          otherAttributes: [
            { name: "color", value: "" },
            { name: "size", value: "XL" },
          ],
        }),
        2,
      );
      const updated: Widget = {
        ...created,
        label: null,
        description: "now described",
        otherAttributes: [
          { name: "size-unit", value: "cm" },
          { name: "size", value: "XL" },
        ],
      };
      assert.deepEqual(await store.read(created), updated);

      await applyTo(store, deleteOf(created), 3);
      assert.equal(await store.read(created), undefined);
      assert.deepEqual(await collect(store.list()), []);
    });

    it("converges to the in-order widget whatever order requests arrive in, copies included", async () => {
      const { store } = await open();
      const created = widget();
      const requests = [
        { request: createOf(created), at: 1 },
        { request: updateOf(created, { label: "second" }), at: 2 },
        {
          request: updateOf(created, {
            label: "third",
            otherAttributes: [{ name: "note", value: "n" }],
          }),
          at: 3,
        },
      ];
      // Last first, and the create twice.
      for (const index of [2, 1, 0, 0])
        await applyTo(store, requests[index]!.request, requests[index]!.at);

      assert.deepEqual(await store.read(created), {
        ...created,
        label: "third",
        otherAttributes: [...created.otherAttributes, { name: "note", value: "n" }],
      });
    });

    it("an attribute removed and set again in one update moves to the end, whatever order requests arrive in", async () => {
      const { store } = await open();
      // Each arrival order of: the create, an update setting color, an update removing and setting it.
      for (const order of [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ]) {
        const created = widget();
        const requests = [
          createOf(created),
          updateOf(created, { otherAttributes: [{ name: "color", value: "green" }] }),
          updateOf(created, {
            otherAttributes: [
              { name: "color", value: "" },
              { name: "color", value: "red" },
            ],
          }),
        ];
        for (const index of order) await applyTo(store, requests[index]!, 10 + index);

        assert.deepEqual(
          (await store.read(created))?.otherAttributes,
          [
            { name: "size-unit", value: "cm" },
            { name: "color", value: "red" },
          ],
          `arrival order ${order.join(", ")}`,
        );
      }
    });

    it("a delete is remembered: a create produced before it, arriving after it, stays dead", async () => {
      const { store } = await open();
      const gone = widget();
      await applyTo(store, deleteOf(gone), 5);

      await applyTo(store, createOf(gone), 4);

      assert.equal(await store.read(gone), undefined);
      assert.deepEqual(await collect(store.list()), []);
    });

    it("an update or delete naming an owner no key could hold still applies: the widget keeps its own", async () => {
      // Given Mary's widget
      const { store } = await open();
      const created = widget();
      await applyTo(store, createOf(created), 1);
      // An owner of valid letters, too long for an S3 key (1,024 bytes) or a file name (255)
      const longOwner = "A".repeat(1_100);

      // When an update and a delete of it name that owner, each arriving twice
      const update = { ...updateOf(created, { label: "updated" }), owner: longOwner };
      await applyTo(store, update, 2);
      await applyTo(store, update, 2);
      assert.deepEqual(await store.read(created), { ...created, label: "updated" });
      const removal = { ...deleteOf(created), owner: longOwner };
      await applyTo(store, removal, 3);
      await applyTo(store, removal, 3);

      // Then both applied to Mary's widget, by its id
      assert.equal(await store.read(created), undefined);
      assert.deepEqual(await collect(store.list()), []);
    });

    it("a widget created again after its delete, under another owner, moves to its new key", async () => {
      const { store } = await open();
      const first = widget();
      const again = { ...widget({ owner: "Sue Smith", label: "again" }), id: first.id };
      await applyTo(store, createOf(first), 1);
      await applyTo(store, deleteOf(first), 2);

      await applyTo(store, createOf(again), 3);

      assert.deepEqual(await store.read(again), again);
      assert.deepEqual(await collect(store.list()), [again]);
    });

    it("starts from a widget another program stored, with no state beside it", async () => {
      const { store, storeForeign } = await open();
      const foreign = widget();
      await storeForeign(foreign);

      await applyTo(store, updateOf(foreign, { label: "changed by Mailroom" }));

      assert.deepEqual(await store.read(foreign), { ...foreign, label: "changed by Mailroom" });
    });

    it("two stores (two processes) changing one widget at once lose no change", async () => {
      const { store, reopen } = await open();
      const other = await reopen();
      const created = widget({ otherAttributes: [] });
      await applyTo(store, createOf(created), 1);

      const names = Array.from({ length: 16 }, (_, i) => `attribute-${i}`);
      await Promise.all(
        names.map((name, i) =>
          applyTo(
            i % 2 === 0 ? store : other,
            updateOf(created, { otherAttributes: [{ name, value: String(i) }] }),
            i + 2,
          ),
        ),
      );

      const read = await store.read(created);
      assert.deepEqual(
        Object.fromEntries(read!.otherAttributes.map(({ name, value }) => [name, value])),
        Object.fromEntries(names.map((name, i) => [name, String(i)])),
      );
      await other.close();
    });

    it("keeps other-attributes exactly: order, odd names, names of its own fields", async () => {
      const { store } = await open();
      const odd = widget({
        otherAttributes: [
          { name: "size-unit", value: "cm" },
          { name: "id", value: "not the id" },
          { name: "owner", value: "not the owner" },
          { name: "label", value: "an attribute called label" },
          { name: "widget_state", value: "99" },
          { name: "last_modified_on", value: "yesterday" },
          { name: "other_attribute_names", value: "[]" },
          { name: "attribute_owner", value: "escaped twice" },
          { name: "__proto__", value: "not a prototype" },
          { name: "note with spaces.and.dots", value: 'ünïcode ✓ "quoted"' },
          { name: "color", value: "red" },
        ],
      });

      await applyTo(store, createOf(odd));

      assert.deepEqual(await store.read(odd), odd);
      assert.deepEqual(await collect(store.list()), [odd]);
    });

    it("lists exactly the live widgets", async () => {
      const { store } = await open();
      const kept = [widget(), widget({ owner: "Sue Smith" }), widget({ owner: "Henry Hops" })];
      const removed = widget();
      for (const each of [...kept, removed]) await applyTo(store, createOf(each), 1);
      await applyTo(store, deleteOf(removed), 2);
      await applyTo(store, deleteOf(widget()), 1);

      assert.deepEqual(byId(await collect(store.list())), byId(kept));
    });

    it("an empty store lists nothing", async () => {
      const { store } = await open();
      assert.deepEqual(await collect(store.list()), []);
    });

    it("stores each widget where and how the course expects", async () => {
      const { store, assertStored } = await open();
      const stored = widget({ label: null });

      await applyTo(store, createOf(stored));

      await assertStored(stored);
    });

    it("changes of many different widgets at once all land", async () => {
      const { store } = await open();
      const many = Array.from({ length: 24 }, (_, i) =>
        widget({ owner: OWNERS[i % OWNERS.length], label: `widget ${i}` }),
      );

      await Promise.all(many.map((each) => applyTo(store, createOf(each))));

      assert.deepEqual(byId(await collect(store.list())), byId(many));
      assert.deepEqual(await Promise.all(many.map((each) => store.read(each))), many);
    });

    describe("key layout", () => {
      it("without the owner in the key, still reads, lists and lays out", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store, assertStored } = await open({ ownerInKey: false });
        const stored = widget();

        await applyTo(store, createOf(stored));

        assert.deepEqual(await store.read(stored), stored);
        assert.deepEqual(await collect(store.list()), [stored]);
        await assertStored(stored);
      });

      it("under another prefix", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store, assertStored } = await open({ keyPrefix: "shop/widgets-v2/" });
        const stored = widget();

        await applyTo(store, createOf(stored));

        assert.deepEqual(await collect(store.list()), [stored]);
        await assertStored(stored);
      });

      it("with an empty prefix and no owner, its own bookkeeping never lists as a widget", async (t) => {
        if (!harness.hasKeyLayout) return t.skip("this store has no keys");
        const { store } = await open({ keyPrefix: "", ownerInKey: false });
        const kept = widget();
        const removed = widget();
        await applyTo(store, createOf(kept), 1);
        await applyTo(store, createOf(removed), 1);

        await applyTo(store, deleteOf(removed), 2);

        assert.deepEqual(await collect(store.list()), [kept]);
      });
    });
  });
}

/** Send times for requests applied without one: increasing, so in call order. */
let clock = 1_000;

/** Applies a request as the consumer does, at `sentAt` (default: after everything before). */
export async function applyTo(
  store: WidgetStore,
  request: WidgetRequest,
  sentAt: number = (clock += 1),
): Promise<void> {
  const position = positionOf(request, { revision: undefined, sentAt });
  await store.update({ id: request.widgetId, owner: request.owner }, (current) => {
    const applied = applyRequest(current, request, position);
    return applied.effect === "duplicate" ? undefined : applied.state;
  });
}

export function createOf(created: Widget): WidgetRequest {
  const { id, owner, label, description, otherAttributes } = created;
  return {
    type: "create",
    requestId: randomUUID(),
    widgetId: id,
    owner,
    label: label ?? "",
    description: description ?? "",
    otherAttributes,
  };
}

export function updateOf(
  target: Widget,
  changes: Pick<WidgetRequest, "label" | "description" | "otherAttributes">,
): WidgetRequest {
  return {
    type: "update",
    requestId: randomUUID(),
    widgetId: target.id,
    owner: target.owner,
    ...changes,
  };
}

export function deleteOf(target: Widget): WidgetRequest {
  return { type: "delete", requestId: randomUUID(), widgetId: target.id, owner: target.owner };
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
