import { comparePositions } from "./request-position.ts";
import type { RequestPosition } from "./request-position.ts";
import type { OtherAttribute } from "./widget-request.ts";

/**
 * The latest update of one other-attribute (see `widget-state.ts`), and
 * where the attribute stands in the widget's list. Applied in order, the
 * course's rules keep a list: setting a name already there keeps its place,
 * a new name goes to the end, and `""` removes the name, so setting it again
 * puts it at the end. `place` is therefore the first set since the name's
 * latest removal (or since the create), with the entry's index in that
 * request; `removedAt` is that removal. Exact when requests arrive in order;
 * when they do not, the value is still exact and the place the best the
 * kept positions allow.
 */
export interface AttributeWrite {
  readonly name: string;
  /** `null`: removed. */
  readonly value: string | null;
  readonly at: RequestPosition;
  /** The entry's index among the `otherAttributes` of the request at `at`. */
  readonly index: number;
  readonly place?: AttributePlace;
  readonly removedAt?: RequestPosition;
}

/** A request's position and the index of the attribute among its entries. */
export type AttributePlace = readonly [at: RequestPosition, index: number];

/**
 * What an update's `otherAttributes` write. A name given twice ends with its
 * last value, placed where it was first set since it was last removed.
 */
export function attributeWritesOf(
  entries: readonly OtherAttribute[],
  at: RequestPosition,
): AttributeWrite[] {
  const byName = new Map<string, { value: string; index: number; placeIndex: number }>();
  entries.forEach(({ name, value }, index) => {
    const known = byName.get(name);
    const placeIndex = known && known.value !== "" ? known.placeIndex : index;
    byName.set(name, { value, index, placeIndex });
  });
  return [...byName].map(([name, { value, index, placeIndex }]) =>
    value === ""
      ? { name, value: null, at, index, removedAt: at }
      : { name, value, at, index, place: [at, placeIndex] },
  );
}

/** Both sides' writes, one per name, none from before `since` (the widget's latest create or delete). */
export function joinAttributeWrites(
  a: readonly AttributeWrite[],
  b: readonly AttributeWrite[],
  since: RequestPosition | undefined,
): AttributeWrite[] {
  const byName = new Map<string, AttributeWrite[]>();
  for (const write of [...a, ...b])
    byName.set(write.name, [...(byName.get(write.name) ?? []), write]);
  return [...byName.values()].flatMap((writes) => {
    const joined = joinOneName(writes, since);
    return joined === undefined ? [] : [joined];
  });
}

function joinOneName(
  writes: readonly AttributeWrite[],
  since: RequestPosition | undefined,
): AttributeWrite | undefined {
  const after = (at: RequestPosition | undefined, than: RequestPosition | undefined) =>
    at !== undefined && (than === undefined || comparePositions(at, than) > 0);
  const live = writes.filter((write) => after(write.at, since));
  if (live.length === 0) return undefined;
  const latest = live.reduce((x, y) => (comparePositions(y.at, x.at) > 0 ? y : x));
  const removedAt = live
    .map((write) => write.removedAt)
    .filter((at): at is RequestPosition => after(at, since))
    .reduce<RequestPosition | undefined>(
      (x, y) => (x === undefined || comparePositions(y, x) > 0 ? y : x),
      undefined,
    );
  const places = live
    .map((write) => write.place)
    .filter((place): place is AttributePlace => after(place?.[0], removedAt ?? since));
  const place =
    places.reduce<AttributePlace | undefined>(
      (x, y) => (x === undefined || comparePlaces(y, x) < 0 ? y : x),
      undefined,
    ) ??
    // Its first set since the removal is not known any more: its latest is the best guess.
    (latest.value !== null && after(latest.at, removedAt) ? [latest.at, latest.index] : undefined);
  return {
    name: latest.name,
    value: latest.value,
    at: latest.at,
    index: latest.index,
    ...(place === undefined ? {} : { place }),
    ...(removedAt === undefined ? {} : { removedAt }),
  };
}

function comparePlaces(a: AttributePlace, b: AttributePlace): number {
  return comparePositions(a[0], b[0]) || a[1] - b[1];
}

/**
 * The created widget's other-attributes with the writes on top: values as
 * written, in the list order applying the requests in order gives.
 */
export function visibleAttributes(
  created: readonly OtherAttribute[],
  createdAt: RequestPosition,
  writes: readonly AttributeWrite[],
): OtherAttribute[] {
  const written = new Map(writes.map((write) => [write.name, write]));
  const placed: { attribute: OtherAttribute; place: AttributePlace }[] = [];
  created.forEach(({ name, value }, index) => {
    const write = written.get(name);
    written.delete(name);
    if (write === undefined) placed.push({ attribute: { name, value }, place: [createdAt, index] });
    else if (write.value !== null) {
      // Never removed since the create: it keeps the create's place.
      const place: AttributePlace | undefined =
        write.removedAt === undefined ? [createdAt, index] : write.place;
      placed.push({
        attribute: { name, value: write.value },
        place: place ?? [write.at, write.index],
      });
    }
  });
  for (const write of written.values()) {
    if (write.value === null) continue;
    placed.push({
      attribute: { name: write.name, value: write.value },
      place: write.place ?? [write.at, 0],
    });
  }
  return placed.sort((x, y) => comparePlaces(x.place, y.place)).map(({ attribute }) => attribute);
}
