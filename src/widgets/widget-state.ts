import { attributeWritesOf, joinAttributeWrites, visibleAttributes } from "./attribute-writes.ts";
import type { AttributeWrite } from "./attribute-writes.ts";
import { comparePositions, isLifecyclePosition, ORIGIN_POSITION } from "./request-position.ts";
import type { RequestPosition } from "./request-position.ts";
import { widgetFromCreate } from "./widget.ts";
import type { Widget } from "./widget.ts";
import type { WidgetRequest } from "./widget-request.ts";

/**
 * Everything a store keeps about one widget so that requests can be applied
 * in any order, any number of times, and still leave the widget exactly as
 * applying each once, in production order, would (CS5260's rules, see
 * `widget.ts`). Per-field last-writer-wins, ordered by request position
 * (`request-position.ts`):
 *
 * - `lifecycle`: the latest create or delete. A create holds the widget as
 *   created; a delete is a tombstone (`widget: null`), so a create that
 *   arrives after it, but was produced before it, stays dead.
 * - `label`, `description`, `attributes`: the latest update of each field,
 *   kept only while it is later than `lifecycle` (a create resets every
 *   field; a delete ends them all). An update that arrives before its create
 *   waits here, and shows as soon as the create does. `null` is a cleared
 *   label or description, or a removed attribute.
 * - `seen`: positions of the requests applied lately, so that a copy of a
 *   request sent again later (same `requestId` and type, later position) is
 *   recognised and changes nothing. The type counts because the course's
 *   own samples give a widget's delete the `requestId` of its create.
 *
 * A state is a join-semilattice: {@link joinStates} is commutative,
 * associative and idempotent, so stores that cannot update atomically (S3)
 * may keep several states of a widget and join them when they read.
 * Its size is bounded: one entry per field name, and `seen` is capped.
 */
export interface WidgetState {
  readonly lifecycle?: Lifecycle;
  readonly label?: FieldWrite;
  readonly description?: FieldWrite;
  readonly attributes: readonly AttributeWrite[];
  /** Most recent first is not promised; see {@link SEEN_LIFECYCLE_LIMIT}. */
  readonly seen: readonly RequestPosition[];
}

export interface Lifecycle {
  /** The widget as created, or `null` after a delete. */
  readonly widget: Widget | null;
  readonly at: RequestPosition;
}

export interface FieldWrite {
  readonly value: string | null;
  readonly at: RequestPosition;
}

/**
 * How many creates and deletes, and how many updates, of a widget are
 * remembered as seen: a copy arriving after more later requests of its
 * widget than that is taken for a new request. Creates and deletes have a
 * list of their own, so a widget's many updates never push its create out.
 */
export const SEEN_LIFECYCLE_LIMIT = 16;
export const SEEN_UPDATE_LIMIT = 256;

/** What applying a request did, in the course's terms. */
export type RequestEffect =
  /** A copy of a request already applied: nothing changed. */
  | "duplicate"
  /** Applied (an update may still be outweighed field by field by later updates). */
  | "applied"
  /** Produced before the widget's latest create or delete, which already covers it. */
  | "superseded"
  /** An update or delete of a widget that does not exist (yet); an update is kept in case its create comes. */
  | "no-widget";

export const EMPTY_STATE: WidgetState = { attributes: [], seen: [] };

/** The state of a widget found in a store that has no history of it (written by another program). */
export function stateOfExistingWidget(widget: Widget): WidgetState {
  return { lifecycle: { widget, at: ORIGIN_POSITION }, attributes: [], seen: [] };
}

/** Applies one request at `position`; a request already seen leaves the state as it is. */
export function applyRequest(
  state: WidgetState,
  request: WidgetRequest,
  position: RequestPosition,
): { state: WidgetState; effect: RequestEffect } {
  if (state.seen.some((seen) => sameRequest(seen, position))) {
    return { state, effect: "duplicate" };
  }
  const next = joinStates(state, stateOfRequest(request, position));
  return { state: next, effect: effectOf(state, request, position) };
}

function effectOf(
  before: WidgetState,
  request: WidgetRequest,
  position: RequestPosition,
): RequestEffect {
  const lifecycle = before.lifecycle;
  if (lifecycle !== undefined && comparePositions(position, lifecycle.at) < 0) return "superseded";
  if (request.type === "create") return "applied";
  return lifecycle?.widget ? "applied" : "no-widget";
}

/** What a single request says about its widget, as a state of its own. */
function stateOfRequest(request: WidgetRequest, at: RequestPosition): WidgetState {
  const seen = [at];
  switch (request.type) {
    case "create":
      return { lifecycle: { widget: widgetFromCreate(request), at }, attributes: [], seen };
    case "delete":
      return { lifecycle: { widget: null, at }, attributes: [], seen };
    case "update":
      return {
        label: fieldWrite(request.label, at),
        description: fieldWrite(request.description, at),
        attributes: attributeWritesOf(request.otherAttributes ?? [], at),
        seen,
      };
  }
}

/** Absent or `null` changes nothing; `""` clears. */
function fieldWrite(value: string | null | undefined, at: RequestPosition): FieldWrite | undefined {
  if (value === undefined || value === null) return undefined;
  return { value: value === "" ? null : value, at };
}

/** The least state holding everything `a` and `b` know. */
export function joinStates(a: WidgetState, b: WidgetState): WidgetState {
  const lifecycle = later(a.lifecycle, b.lifecycle);
  /** A field write counts only after the latest create or delete. */
  const live = <T extends FieldWrite>(write: T | undefined): T | undefined =>
    write !== undefined && (lifecycle === undefined || comparePositions(write.at, lifecycle.at) > 0)
      ? write
      : undefined;
  return {
    ...(lifecycle === undefined ? {} : { lifecycle }),
    ...optional("label", live(later(a.label, b.label))),
    ...optional("description", live(later(a.description, b.description))),
    attributes: joinAttributeWrites(a.attributes, b.attributes, lifecycle?.at),
    seen: joinSeen(a.seen, b.seen),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function later<T extends { readonly at: RequestPosition }>(
  a: T | undefined,
  b: T | undefined,
): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return comparePositions(b.at, a.at) > 0 ? b : a;
}

/** Whether two positions are of one request: the same `requestId` and type. */
function sameRequest(a: RequestPosition, b: RequestPosition): boolean {
  return a[3] === b[3] && a[2] === b[2];
}

/** Union by request (the earlier position of a resent one), each kind capped to its latest. */
function joinSeen(a: readonly RequestPosition[], b: readonly RequestPosition[]): RequestPosition[] {
  const byRequest = new Map<string, RequestPosition>();
  for (const position of [...a, ...b]) {
    const key = `${position[2]} ${position[3]}`;
    const known = byRequest.get(key);
    if (known === undefined || comparePositions(position, known) < 0) byRequest.set(key, position);
  }
  const newestFirst = [...byRequest.values()].sort((x, y) => comparePositions(y, x));
  const lifecycle = newestFirst.filter(isLifecyclePosition).slice(0, SEEN_LIFECYCLE_LIMIT);
  const updates = newestFirst
    .filter((position) => !isLifecyclePosition(position))
    .slice(0, SEEN_UPDATE_LIMIT);
  return [...lifecycle, ...updates];
}

/**
 * The widget as the state has it: the created widget with every later update
 * on top; `undefined` when it was never created or is deleted. `id` and
 * `owner` are the create's: an update naming another owner changes the rest.
 */
export function visibleWidget(state: WidgetState): Widget | undefined {
  const lifecycle = state.lifecycle;
  const created = lifecycle?.widget;
  if (!lifecycle || !created) return undefined;
  return {
    id: created.id,
    owner: created.owner,
    label: state.label === undefined ? created.label : state.label.value,
    description: state.description === undefined ? created.description : state.description.value,
    otherAttributes: visibleAttributes(created.otherAttributes, lifecycle.at, state.attributes),
  };
}
