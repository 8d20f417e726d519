import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRequestGenerator } from "../../../src/apps/producer/request-generator.ts";
import type { GeneratedRequest } from "../../../src/apps/producer/request-generator.ts";
import { createSeededRandom } from "../../../src/apps/producer/seeded-random.ts";
import { ATTRIBUTE_NAMES, OWNERS } from "../../../src/apps/producer/widget-vocabulary.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import type { Widget } from "../../../src/widgets/widget.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function generate(seed: number, count: number, now?: () => number): GeneratedRequest[] {
  const generator = createRequestGenerator({ seed, ...(now ? { now } : {}) });
  return Array.from({ length: count }, () => generator.next());
}

/** Everything but the key, which follows the clock rather than the seed. */
function withoutKeys(requests: readonly GeneratedRequest[]) {
  return requests.map(({ request, body, revision }) => ({ request, body, revision }));
}

describe("request generator", () => {
  it("reproduces every request from the same seed, and differs with another", () => {
    const first = generate(42, 400);
    const again = generate(42, 400);
    assert.deepEqual(withoutKeys(again), withoutKeys(first));
    const other = generate(43, 400);
    assert.notDeepEqual(withoutKeys(other), withoutKeys(first));
  });

  it("writes bodies that parse back to the same valid request", () => {
    for (const { request, body } of generate(7, 1000)) {
      assert.equal(body, JSON.stringify(request));
      const parsed = parseWidgetRequest(body);
      assert.ok(parsed.ok, `${body} was rejected: ${parsed.ok ? "" : parsed.reason}`);
      assert.deepEqual(JSON.parse(JSON.stringify(parsed.request)), JSON.parse(body));
      assert.match(request.requestId, UUID_V4);
      assert.match(request.widgetId, UUID_V4);
      assert.ok(OWNERS.includes(request.owner));
      for (const { name } of request.otherAttributes ?? [])
        assert.ok(ATTRIBUTE_NAMES.includes(name));
    }
  });

  it("updates and deletes only live widgets of their owner, numbering each widget's requests from 1", () => {
    // Given a long run
    const requests = generate(2024, 3000);
    const live = new Map<string, { owner: string; revision: number }>();
    const seenIds = new Set<string>();
    // Then every request fits the history before it
    assert.equal(requests[0]!.request.type, "create");
    for (const { request, revision } of requests) {
      assert.ok(!seenIds.has(request.requestId), "request ids are unique");
      seenIds.add(request.requestId);
      const widget = live.get(request.widgetId);
      if (request.type === "create") {
        assert.equal(widget, undefined, "a create names a new widget");
        assert.equal(revision, 1);
        live.set(request.widgetId, { owner: request.owner, revision });
        continue;
      }
      assert.ok(widget, `${request.type} of ${request.widgetId} names a live widget`);
      assert.equal(request.owner, widget.owner);
      assert.equal(revision, widget.revision + 1);
      widget.revision = revision;
      if (request.type === "delete") {
        assert.deepEqual(Object.keys(request), ["type", "requestId", "widgetId", "owner"]);
        live.delete(request.widgetId);
      }
    }
  });

  it("mixes about 45% creates, 40% updates and 15% deletes, with the samples' kinds of updates", () => {
    const generator = createRequestGenerator({ seed: 99 });
    const requests = Array.from({ length: 4000 }, () => generator.next());
    const counts = generator.counts();
    assert.equal(counts.create + counts.update + counts.delete, 4000);
    assert.ok(Math.abs(counts.create / 4000 - 0.45) < 0.04, `creates: ${counts.create}`);
    assert.ok(Math.abs(counts.update / 4000 - 0.4) < 0.04, `updates: ${counts.update}`);
    assert.ok(Math.abs(counts.delete / 4000 - 0.15) < 0.03, `deletes: ${counts.delete}`);
    const updates = requests.map((r) => r.request).filter((r) => r.type === "update");
    assert.ok(
      updates.some((r) => r.label === undefined),
      "some updates leave the label out",
    );
    assert.ok(
      updates.some((r) => r.label === ""),
      "some updates clear the label",
    );
    assert.ok(updates.some((r) => typeof r.label === "string" && r.label !== ""));
    assert.ok(
      updates.some((r) => r.otherAttributes?.some((attribute) => attribute.value === "")),
      "some updates remove an attribute",
    );
  });

  it("keeps keys unique and increasing in a tight loop, with a stuck clock or the real one", () => {
    const stuck = generate(1, 500, () => 1_612_306_368_338).map((r) => r.key);
    assert.equal(stuck[0], "1612306368338");
    assert.equal(stuck.at(-1), String(1_612_306_368_338 + 499));
    const real = generate(1, 5000).map((r) => r.key);
    for (let i = 1; i < real.length; i += 1) {
      assert.ok(real[i - 1]! < real[i]!, `${real[i - 1]} < ${real[i]}`);
      assert.ok(Number(real[i - 1]) < Number(real[i]));
    }
  });

  it("expects the widgets an independent replay of the requests gives", () => {
    const generator = createRequestGenerator({ seed: 5 });
    const requests = Array.from({ length: 2500 }, () => generator.next().request);
    const expected = generator.expectedWidgets();
    const replayed = replay(requests);
    assert.equal(expected.size, replayed.size);
    for (const [id, widget] of replayed) assert.deepEqual(plain(expected.get(id)), widget, id);
    // And it is a copy: changing it changes nothing inside the generator.
    expected.clear();
    assert.equal(generator.expectedWidgets().size, replayed.size);
  });
});

describe("seeded random", () => {
  it("stays within bounds and makes version 4 UUIDs", () => {
    const random = createSeededRandom(0);
    for (let i = 0; i < 2000; i += 1) {
      const value = random.int(3, 7);
      assert.ok(value >= 3 && value <= 7 && Number.isInteger(value));
      const fraction = random.next();
      assert.ok(fraction >= 0 && fraction < 1);
    }
    assert.match(random.uuid(), UUID_V4);
    assert.throws(() => createSeededRandom(-1), RangeError);
    assert.throws(() => createSeededRandom(2 ** 32), RangeError);
  });
});

interface PlainWidget {
  id: string;
  owner: string;
  label: string | null;
  description: string | null;
  otherAttributes: { name: string; value: string }[];
}

/** The CS5260 rules, written again without widgets/widget.ts. */
function replay(requests: readonly WidgetRequest[]): Map<string, PlainWidget> {
  const widgets = new Map<string, PlainWidget>();
  const text = (current: string | null, change: string | null | undefined) =>
    change === undefined || change === null ? current : change === "" ? null : change;
  for (const request of requests) {
    if (request.type === "delete") {
      widgets.delete(request.widgetId);
      continue;
    }
    const current: PlainWidget = widgets.get(request.widgetId) ?? {
      id: request.widgetId,
      owner: request.owner,
      label: null,
      description: null,
      otherAttributes: [],
    };
    const attributes = current.otherAttributes.map((a) => ({ ...a }));
    for (const change of request.otherAttributes ?? []) {
      const index = attributes.findIndex((a) => a.name === change.name);
      if (change.value === "") {
        if (index !== -1) attributes.splice(index, 1);
      } else if (index === -1) attributes.push({ ...change });
      else attributes[index]!.value = change.value;
    }
    widgets.set(request.widgetId, {
      id: current.id,
      owner: current.owner,
      label: text(current.label, request.label),
      description: text(current.description, request.description),
      otherAttributes: attributes,
    });
  }
  return widgets;
}

function plain(widget: Widget | undefined): unknown {
  return JSON.parse(JSON.stringify(widget));
}
