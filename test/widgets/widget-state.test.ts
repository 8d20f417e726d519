import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSeededRandom } from "../../src/apps/producer/seeded-random.ts";
import type { SeededRandom } from "../../src/apps/producer/seeded-random.ts";
import { comparePositions, positionOf, sentAtFromKey } from "../../src/widgets/request-position.ts";
import type { RequestPosition } from "../../src/widgets/request-position.ts";
import {
  applyRequest,
  EMPTY_STATE,
  joinStates,
  SEEN_UPDATE_LIMIT,
  stateOfExistingWidget,
  visibleWidget,
} from "../../src/widgets/widget-state.ts";
import type { WidgetState } from "../../src/widgets/widget-state.ts";
import { applyUpdate, widgetFromCreate } from "../../src/widgets/widget.ts";
import type { Widget } from "../../src/widgets/widget.ts";
import type { WidgetRequest } from "../../src/widgets/widget-request.ts";

/** A request and where it stands, as a consumer would place it. */
interface Placed {
  readonly request: WidgetRequest;
  readonly at: RequestPosition;
}

/** Each request once, in production order, by the course's rules: what every order must end in. */
function inOrder(placed: readonly Placed[]): Widget | undefined {
  let widget: Widget | undefined;
  for (const { request } of [...placed].sort((a, b) => comparePositions(a.at, b.at))) {
    if (request.type === "create") widget = widgetFromCreate(request);
    else if (request.type === "delete") widget = undefined;
    else if (widget) widget = applyUpdate(widget, request);
  }
  return widget;
}

function applyAll(placed: readonly Placed[], start: WidgetState = EMPTY_STATE): WidgetState {
  return placed.reduce((state, { request, at }) => applyRequest(state, request, at).state, start);
}

let sequence = 0;
function request(type: WidgetRequest["type"], fields: Partial<WidgetRequest> = {}): WidgetRequest {
  sequence += 1;
  return {
    type,
    requestId: `r-${String(sequence).padStart(6, "0")}`,
    widgetId: "w1",
    owner: "Mary Matthews",
    ...fields,
  };
}

function placedAt(sentAt: number, made: WidgetRequest): Placed {
  return { request: made, at: positionOf(made, { revision: undefined, sentAt }) };
}

describe("request positions", () => {
  it("order by revision, then time sent, then create < update < delete, then requestId", () => {
    const create = request("create");
    const update = request("update");
    const del = request("delete");
    const at = (made: WidgetRequest, revision: number | undefined, sentAt: number) =>
      positionOf(made, { revision, sentAt });

    assert.ok(comparePositions(at(update, 2, 1), at(create, 1, 9)) > 0, "revision first");
    assert.ok(
      comparePositions(at(update, undefined, 5), at(create, undefined, 6)) < 0,
      "then time",
    );
    assert.ok(comparePositions(at(del, undefined, 5), at(update, undefined, 5)) > 0, "then type");
    assert.ok(
      comparePositions(at(update, undefined, 5), at(create, undefined, 5)) > 0,
      "then type",
    );
    const [first, second] = [request("update"), request("update")];
    assert.ok(comparePositions(at(first, undefined, 5), at(second, undefined, 5)) < 0, "then id");
    assert.equal(comparePositions(at(first, 3, 5), at(first, 3, 5)), 0);
  });

  it("take the time from a millisecond key, as the course names its requests", () => {
    assert.equal(sentAtFromKey("1612306373799"), 1612306373799);
    for (const other of ["request-1.json", "", "12", "1612306373799.json"]) {
      assert.equal(sentAtFromKey(other), undefined, other);
    }
  });
});

describe("widget state", () => {
  it("an update that arrives before its create waits in the state and shows with the create", () => {
    const create = placedAt(
      1,
      request("create", { label: "A", otherAttributes: [{ name: "size", value: "1" }] }),
    );
    const update = placedAt(
      2,
      request("update", { label: "B", otherAttributes: [{ name: "size", value: "" }] }),
    );

    const early = applyRequest(EMPTY_STATE, update.request, update.at);
    assert.equal(early.effect, "no-widget");
    assert.equal(visibleWidget(early.state), undefined);

    const both = applyRequest(early.state, create.request, create.at);
    assert.equal(both.effect, "applied");
    assert.deepEqual(visibleWidget(both.state), inOrder([create, update]));
    assert.equal(visibleWidget(both.state)?.label, "B");
  });

  it("a create produced before a delete but arriving after it is superseded: the widget stays dead", () => {
    const create = placedAt(1, request("create", { label: "A" }));
    const del = placedAt(2, request("delete"));

    const after = applyRequest(applyAll([del]), create.request, create.at);

    assert.equal(after.effect, "superseded");
    assert.equal(visibleWidget(after.state), undefined);
  });

  it("a copy of a request, sent again later, is a duplicate and changes nothing", () => {
    const create = placedAt(1, request("create", { label: "A" }));
    const update = placedAt(2, request("update", { label: "B" }));
    const state = applyAll([create, update]);

    const copy = applyRequest(
      state,
      create.request,
      positionOf(create.request, { revision: undefined, sentAt: 3 }),
    );

    assert.equal(copy.effect, "duplicate");
    assert.equal(copy.state, state);
    assert.equal(visibleWidget(copy.state)?.label, "B");
  });

  it("a delete carrying its create's requestId (as two of the course's samples do) is not a copy", () => {
    const create = placedAt(1, request("create", { label: "A" }));
    const del = placedAt(2, { ...request("delete"), requestId: create.request.requestId });

    const after = applyRequest(applyAll([create]), del.request, del.at);

    assert.equal(after.effect, "applied");
    assert.equal(visibleWidget(after.state), undefined);
  });

  it("an update naming another owner keeps the widget's owner and applies the rest", () => {
    const create = placedAt(1, request("create", { label: "A" }));
    const update = placedAt(2, request("update", { owner: "Sue Smith", label: "B" }));

    const widget = visibleWidget(applyAll([create, update]));

    assert.equal(widget?.owner, "Mary Matthews");
    assert.equal(widget?.label, "B");
  });

  it("starts from a widget found with no history: any request comes after it", () => {
    const found: Widget = {
      id: "w1",
      owner: "Mary Matthews",
      label: "Old",
      description: null,
      otherAttributes: [],
    };
    const update = placedAt(0, request("update", { description: "new" }));

    assert.deepEqual(visibleWidget(applyAll([update], stateOfExistingWidget(found))), {
      ...found,
      description: "new",
    });
  });

  it("remembers only the latest updates as seen, but always the widget's create", () => {
    const placed = [placedAt(1, request("create", { label: "A" }))];
    for (let i = 0; i < SEEN_UPDATE_LIMIT + 10; i += 1)
      placed.push(placedAt(2 + i, request("update", { label: `L${i}` })));
    const state = applyAll(placed);

    assert.equal(state.seen.length, SEEN_UPDATE_LIMIT + 1);
    assert.equal(
      applyRequest(state, placed[0]!.request, [0, 99_999, 0, placed[0]!.request.requestId]).effect,
      "duplicate",
    );
  });

  it("an attribute removed and set again in one update goes to the end, in any arrival order", () => {
    const create = placedAt(
      1,
      request("create", {
        otherAttributes: [
          { name: "color", value: "red" },
          { name: "size", value: "1" },
        ],
      }),
    );
    const removeAndSet = (name: string, value: string) =>
      request("update", {
        otherAttributes: [
          { name, value: "" },
          { name, value },
        ],
      });
    const sameUpdate = [create, placedAt(2, removeAndSet("color", "blue"))];
    const laterUpdate = [
      create,
      placedAt(2, request("update", { otherAttributes: [{ name: "note", value: "n" }] })),
      placedAt(3, removeAndSet("note", "m")),
    ];

    assert.deepEqual(visibleWidget(applyAll(sameUpdate))?.otherAttributes, [
      { name: "size", value: "1" },
      { name: "color", value: "blue" },
    ]);
    for (const placed of [sameUpdate, laterUpdate])
      for (const order of permutations(placed))
        assert.deepEqual(
          visibleWidget(applyAll(order)),
          inOrder(placed),
          order.map(({ at }) => at[1]).join(" "),
        );
  });

  it("converges to in-order application for any arrival order, copies and split joins, attribute order included (5,000 random histories)", () => {
    const random = createSeededRandom(20261205);
    for (let history = 0; history < 5_000; history += 1)
      assertConverges(random, randomHistory(random), `history ${history}`);
  });

  it("converges the same way when updates name an attribute twice, removed and set again (5,000 random histories)", () => {
    const random = createSeededRandom(20260311);
    for (let history = 0; history < 5_000; history += 1)
      assertConverges(random, randomHistory(random, { repeatNames: true }), `history ${history}`);
  });
});

/**
 * Asserts that `placed`, applied in order, in a random order with copies, or
 * split between two consumers whose states are joined, ends as the in-order
 * widget, its attributes' order included.
 */
function assertConverges(random: SeededRandom, placed: readonly Placed[], name: string): void {
  const expected = inOrder(placed);
  // In order, the widget is exactly the in-order one, its attributes' order included.
  assert.deepEqual(visibleWidget(applyAll(placed)), expected, `${name} in order`);
  const deliveries = [...placed, ...placed.filter(() => random.chance(0.3))];
  shuffle(random, deliveries);

  // One consumer applying every delivery in arrival order...
  assert.deepEqual(visibleWidget(applyAll(deliveries)), expected, name);
  // ...or two consumers each applying some, their states joined (as S3 keeps them).
  const split = deliveries.map(() => random.chance(0.5));
  const joined = joinStates(
    applyAll(deliveries.filter((_, i) => split[i])),
    applyAll(deliveries.filter((_, i) => !split[i])),
  );
  assert.deepEqual(visibleWidget(joined), expected, `${name}, joined`);
}

const NAMES = ["color", "size", "note", "vendor"];

/**
 * A widget's history: creates, updates and deletes in any mix, at increasing
 * times. With `repeatNames`, an update may name an attribute a second time
 * at its end (removed then set again, or set then removed...).
 */
function randomHistory(random: SeededRandom, { repeatNames = false } = {}): Placed[] {
  const length = 1 + Math.floor(random.next() * 12);
  return Array.from({ length }, (_, i) => {
    const roll = random.next();
    const type = roll < 0.25 ? "create" : roll < 0.85 ? "update" : "delete";
    const text = () => (random.chance(0.2) ? "" : `v${Math.floor(random.next() * 100)}`);
    const attributes = NAMES.filter(() => random.chance(0.4)).map((name) => ({
      name,
      value: text(),
    }));
    if (repeatNames && type === "update")
      for (const { name } of attributes.filter(() => random.chance(0.5)))
        attributes.push({ name, value: random.chance(0.3) ? "" : text() });
    const fields: Partial<WidgetRequest> =
      type === "delete"
        ? {}
        : {
            ...(random.chance(0.6) ? { label: text() } : {}),
            ...(random.chance(0.3) ? { description: random.chance(0.2) ? null : text() } : {}),
            otherAttributes: attributes,
          };
    // Several requests may share a millisecond: the tie rule orders them.
    return placedAt(1_000 + Math.floor(i / 2), request(type, fields));
  });
}

function shuffle<T>(random: SeededRandom, items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Every order of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
