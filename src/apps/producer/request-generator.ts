import type {
  OtherAttribute,
  WidgetRequest,
  WidgetRequestType,
} from "../../widgets/widget-request.ts";
import { applyUpdate, widgetFromCreate } from "../../widgets/widget.ts";
import type { Widget } from "../../widgets/widget.ts";
import { createKeyClock } from "./request-key.ts";
import { createSeededRandom } from "./seeded-random.ts";
import type { SeededRandom } from "./seeded-random.ts";
import { ATTRIBUTE_NAMES, OWNERS, attributeValue, capitals } from "./widget-vocabulary.ts";

/** One produced request, ready for any sink. */
export interface GeneratedRequest {
  /** Millisecond timestamp key, unique and increasing within a producer (see `request-key.ts`). */
  readonly key: string;
  readonly request: WidgetRequest;
  /** The request as JSON: exactly what goes into the queue, the bucket or the folder. */
  readonly body: string;
  /** Position in its widget's history: the create is 1 (see `widgets/request-position.ts`). */
  readonly revision: number;
}

export type RequestCounts = Record<WidgetRequestType, number>;

export interface RequestGeneratorOptions {
  /** Unsigned 32-bit seed: the same seed gives the same requests (ids included); only keys differ. */
  readonly seed: number;
  /** Clock for the keys; default `Date.now`. */
  readonly now?: () => number;
  /** Keys start after this one (the newest a sink already holds). */
  readonly keysAfter?: number;
}

/**
 * Generates realistic widget requests (shaped like the CS5260 samples) and
 * keeps the state they lead to. About 45% creates, 40% updates and 15%
 * deletes; updates and deletes only name widgets created earlier and not yet
 * deleted, and the first requests are creates.
 */
export interface RequestGenerator {
  readonly seed: number;
  next(): GeneratedRequest;
  /**
   * The widgets that exist after applying every request produced so far, in
   * order (create, update rules of `applyUpdate`, delete): what a correct
   * consumer must end with. A copy, keyed by widget id.
   */
  expectedWidgets(): Map<string, Widget>;
  /** Requests produced so far, by type. */
  counts(): RequestCounts;
}

const CREATE_SHARE = 0.45;
const UPDATE_SHARE = 0.4;
/** Requests that are always creates, so early updates have something to pick from. */
const FIRST_CREATES = 3;

interface LiveWidget {
  widget: Widget;
  revision: number;
}

export function createRequestGenerator(options: RequestGeneratorOptions): RequestGenerator {
  const random = createSeededRandom(options.seed);
  const nextKey = createKeyClock(options.now, options.keysAfter);
  const live = new Map<string, LiveWidget>();
  // Ids in an array too, so picking a random live widget is O(1) (removal swaps with the last).
  const liveIds: string[] = [];
  const positions = new Map<string, number>();
  const counts: RequestCounts = { create: 0, update: 0, delete: 0 };
  let produced = 0;

  function chooseType(): WidgetRequestType {
    if (produced < FIRST_CREATES || liveIds.length === 0) return "create";
    const roll = random.next();
    if (roll < CREATE_SHARE) return "create";
    return roll < CREATE_SHARE + UPDATE_SHARE ? "update" : "delete";
  }

  function forget(widgetId: string): void {
    const position = positions.get(widgetId)!;
    const lastId = liveIds.pop()!;
    if (lastId !== widgetId) {
      liveIds[position] = lastId;
      positions.set(lastId, position);
    }
    positions.delete(widgetId);
    live.delete(widgetId);
  }

  function create(): { request: WidgetRequest; revision: number } {
    const request = createRequest(random);
    positions.set(request.widgetId, liveIds.length);
    liveIds.push(request.widgetId);
    live.set(request.widgetId, { widget: widgetFromCreate(request), revision: 1 });
    return { request, revision: 1 };
  }

  function update(): { request: WidgetRequest; revision: number } {
    const target = live.get(random.pick(liveIds))!;
    const request = updateRequest(random, target.widget);
    target.widget = applyUpdate(target.widget, request);
    target.revision += 1;
    return { request, revision: target.revision };
  }

  function remove(): { request: WidgetRequest; revision: number } {
    const target = live.get(random.pick(liveIds))!;
    const request: WidgetRequest = {
      type: "delete",
      requestId: random.uuid(),
      widgetId: target.widget.id,
      owner: target.widget.owner,
    };
    forget(target.widget.id);
    return { request, revision: target.revision + 1 };
  }

  return {
    seed: options.seed,
    next() {
      const type = chooseType();
      const { request, revision } =
        type === "create" ? create() : type === "update" ? update() : remove();
      produced += 1;
      counts[type] += 1;
      return { key: nextKey(), request, body: JSON.stringify(request), revision };
    },
    expectedWidgets: () => new Map([...live].map(([id, { widget }]) => [id, widget])),
    counts: () => ({ ...counts }),
  };
}

function createRequest(random: SeededRandom): WidgetRequest {
  const requestId = random.uuid();
  const widgetId = random.uuid();
  const owner = random.pick(OWNERS);
  const label = capitals(random, 1, 10);
  const description = random.chance(0.95) ? capitals(random, 1, 100) : undefined;
  const otherAttributes = ATTRIBUTE_NAMES.filter(() => random.chance(0.45)).map((name) => ({
    name,
    value: attributeValue(random, name),
  }));
  if (otherAttributes.length === 0) {
    const name = random.pick(ATTRIBUTE_NAMES);
    otherAttributes.push({ name, value: attributeValue(random, name) });
  }
  return withoutUndefined({
    type: "create",
    requestId,
    widgetId,
    owner,
    label,
    description,
    otherAttributes,
  });
}

/**
 * Like the samples' updates: the label is usually left out and once in a
 * while cleared with `""`; the description usually changes; some attributes
 * change and, now and then, one the widget has is removed with `""`.
 */
function updateRequest(random: SeededRandom, widget: Widget): WidgetRequest {
  const requestId = random.uuid();
  const labelRoll = random.next();
  const label = labelRoll < 0.6 ? undefined : labelRoll < 0.7 ? "" : capitals(random, 1, 10);
  const descriptionRoll = random.next();
  const description =
    descriptionRoll < 0.85 ? capitals(random, 1, 100) : descriptionRoll < 0.93 ? undefined : "";
  const current = new Set(widget.otherAttributes.map((attribute) => attribute.name));
  const otherAttributes: OtherAttribute[] = [];
  if (random.chance(0.95)) {
    for (const name of ATTRIBUTE_NAMES) {
      if (current.has(name) && random.chance(0.12)) otherAttributes.push({ name, value: "" });
      else if (random.chance(0.45))
        otherAttributes.push({ name, value: attributeValue(random, name) });
    }
  }
  return withoutUndefined({
    type: "update",
    requestId,
    widgetId: widget.id,
    owner: widget.owner,
    label,
    description,
    otherAttributes: otherAttributes.length > 0 ? otherAttributes : undefined,
  });
}

/** Absent fields stay absent (not `undefined`), so a request equals its parsed JSON. */
function withoutUndefined(request: WidgetRequest): WidgetRequest {
  return Object.fromEntries(
    Object.entries(request).filter(([, value]) => value !== undefined),
  ) as unknown as WidgetRequest;
}
