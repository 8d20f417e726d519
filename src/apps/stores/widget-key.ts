import { ownerKey } from "../../widgets/owner-key.ts";
import type { WidgetRef } from "./widget-store.ts";
import { AppError } from "../app-error.ts";

/** The course's key prefix for widgets in a bucket (and, here, in a folder). */
export const DEFAULT_KEY_PREFIX = "widgets/";

/**
 * Where a widget lives in a bucket or a folder (CS5260): `{keyPrefix}{owner-key}/{id}`,
 * or `{keyPrefix}{id}` without the owner. The prefix is used literally, as S3
 * does: `widgets/` is a folder, `widgets` would glue itself to the next part
 * (a folder store adds the missing `/` before it gets here).
 */
export interface WidgetKeyLayout {
  /** Default `widgets/`. */
  readonly keyPrefix: string;
  /** Default true: `widgets/mary-matthews/<id>` rather than `widgets/<id>`. */
  readonly ownerInKey: boolean;
}

/** The parts of a key that looked like a widget's, still to be checked against its JSON. */
export interface ParsedWidgetKey {
  readonly id: string;
  /** The owner segment; `undefined` when the layout has none. */
  readonly ownerSegment: string | undefined;
}

/**
 * A key segment that cannot climb out of a folder (`..`), split into two
 * (`/`) or hide among the stores' own dot-files. The request parser already
 * refuses such ids; the stores check again because a widget can reach them by
 * other paths (tests, tools, a future source). Owner keys may start with a
 * dash (an owner with a leading space).
 */
const SAFE_SEGMENT = /^(?!\.)[A-Za-z0-9._-]+$/;

export function widgetKey(layout: WidgetKeyLayout, ref: WidgetRef): string {
  const id = safeSegment(ref.id, "widget id");
  if (!layout.ownerInKey) return `${layout.keyPrefix}${id}`;
  return `${layout.keyPrefix}${safeSegment(ownerKey(ref.owner), "owner")}/${id}`;
}

/** The id (and owner segment) a key under the layout names; `undefined` for other keys. */
export function parseWidgetKey(layout: WidgetKeyLayout, key: string): ParsedWidgetKey | undefined {
  if (!key.startsWith(layout.keyPrefix)) return undefined;
  const segments = key.slice(layout.keyPrefix.length).split("/");
  if (segments.length !== (layout.ownerInKey ? 2 : 1)) return undefined;
  if (!segments.every((segment) => SAFE_SEGMENT.test(segment))) return undefined;
  const id = segments.at(-1)!;
  return { id, ownerSegment: layout.ownerInKey ? segments[0] : undefined };
}

/** Whether the widget read from `parsed`'s key really belongs there (not a stray copy). */
export function keyMatchesWidget(
  parsed: ParsedWidgetKey,
  widget: { readonly id: string; readonly owner: string },
): boolean {
  if (parsed.id !== widget.id) return false;
  return parsed.ownerSegment === undefined || parsed.ownerSegment === ownerKey(widget.owner);
}

/** `segment` itself, once it is known to be one safe key segment (or file name); throws otherwise. */
export function safeSegment(segment: string, what: string): string {
  if (!SAFE_SEGMENT.test(segment)) {
    throw new AppError(`The ${what} ${JSON.stringify(segment)} cannot be part of a widget key`);
  }
  return segment;
}
