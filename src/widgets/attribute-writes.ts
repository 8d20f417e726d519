import { comparePositions } from "./request-position.ts";
import type { RequestPosition } from "./request-position.ts";
import type { OtherAttribute } from "./widget-request.ts";

/**
 * The latest update of one other-attribute (see `widget-state.ts`), and
 * where the attribute stands in the widget's list. Applied in order, the
 * course's rules keep a list: setting a name already there keeps its place,
 * a new name goes to the end, and `""` removes the name, so setting it again
 * puts it at the end. Its place is therefore its first set since its latest
 * removal (or since the create), with the entry's index in that request;
 * `removedAt` is that removal. A set in the very request of the removal
 * (`""` then a value, in one update) came after it, so it counts as a place.
 *
 * A removal may arrive after sets that came later than it, so the first set
 * after it is not the first set known so far: `places` keeps every set
 * since `removedAt`, earliest first, up to {@link PLACES_KEPT}. Whatever
 * order requests arrive in, the value is exact, and so is the place unless
 * more sets than that were outrun by a removal produced before them.
 */
export interface AttributeWrite {
  readonly name: string;
  /** `null`: removed. */
  readonly value: string | null;
  readonly at: RequestPosition;
  /** The entry's index among the `otherAttributes` of the request at `at`. */
  readonly index: number;
  /** Sets since `removedAt` (or the create), earliest first; the first is the place. */
  readonly places?: readonly AttributePlace[];
  readonly removedAt?: RequestPosition;
}

/** Sets of one name kept per widget (see AttributeWrite): its state stays bounded. */
export const PLACES_KEPT = 16;

/** A request's position and the index of the attribute among its entries. */
export type AttributePlace = readonly [at: RequestPosition, index: number];

/**
 * What an update's `otherAttributes` write. A name given twice ends with its
 * last value, placed where it was first set since it was last removed. A
 * name removed and then set again in one request is removed at `at` too,
 * and placed at `at` after that removal: applied in order, it leaves its old
 * place for the end of the list.
 */
export function attributeWritesOf(
  entries: readonly OtherAttribute[],
  at: RequestPosition,
): AttributeWrite[] {
  const byName = new Map<
    string,
    { value: string; index: number; placeIndex: number; removed: boolean }
  >();
  entries.forEach(({ name, value }, index) => {
    const known = byName.get(name);
    const placeIndex = known && known.value !== "" ? known.placeIndex : index;
    byName.set(name, { value, index, placeIndex, removed: value === "" || !!known?.removed });
  });
  return [...byName].map(([name, { value, index, placeIndex, removed }]) =>
    value === ""
      ? { name, value: null, at, index, removedAt: at }
      : {
          name,
          value,
          at,
          index,
          places: [[at, placeIndex]],
          ...(removed ? { removedAt: at } : {}),
        },
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
  // A set in the request of the removal came after it (see attributeWritesOf).
  const notBefore = (at: RequestPosition, than: RequestPosition | undefined) =>
    than === undefined || comparePositions(at, than) >= 0;
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
  const known = live
    .flatMap((write) => write.places ?? [])
    .filter((place) => after(place[0], since) && notBefore(place[0], removedAt))
    .sort(comparePlaces)
    .filter((place, i, sorted) => i === 0 || comparePlaces(place, sorted[i - 1]!) !== 0)
    .slice(0, PLACES_KEPT);
  const places: readonly AttributePlace[] | undefined =
    known.length > 0
      ? known
      : // Its first set since the removal is not known any more: its latest is the best guess.
        latest.value !== null && notBefore(latest.at, removedAt)
        ? [[latest.at, latest.index]]
        : undefined;
  return {
    name: latest.name,
    value: latest.value,
    at: latest.at,
    index: latest.index,
    ...(places === undefined ? {} : { places }),
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
        write.removedAt === undefined ? [createdAt, index] : write.places?.[0];
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
      place: write.places?.[0] ?? [write.at, 0],
    });
  }
  return placed.sort((x, y) => comparePlaces(x.place, y.place)).map(({ attribute }) => attribute);
}
