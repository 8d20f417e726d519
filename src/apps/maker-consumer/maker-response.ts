import type { RequestIds } from "./request-ids.ts";
import type { RequestOutcome } from "./request-outcome.ts";

/**
 * The message sent to the response queue for each settled request (the
 * seed's `{MessageId, WidgetId, Status}` in the CS5260 vocabulary).
 * Responses are at least once: a request retried after its response was sent
 * but before it was deleted is answered again, with the same outcome.
 */
export type MakerResponse =
  | (RequestIds & {
      readonly status: "OK";
      /** The widget's URL at the maker. */
      readonly location: string | null;
      /** 201 made now, 200 made by an earlier copy of the request. */
      readonly httpStatus: number;
    })
  | (RequestIds & {
      readonly status: "REJECTED";
      readonly reason: string;
      /** The maker's status; absent when the body was rejected without asking the maker. */
      readonly httpStatus?: number;
    });

/** The seed's response to its `{"WidgetId": ...}` requests: the request's message id, the widget id, OK or REJECTED. */
export interface SeedResponse {
  readonly MessageId: string | undefined;
  readonly WidgetId: string | null;
  readonly Status: "OK" | "REJECTED";
  readonly Reason?: string;
}

/**
 * The longest id or reason a response echoes, in characters. Valid ids are far
 * shorter (a UUID, a widget id of at most 128); a longer one is cut, so that a
 * response stays a few KiB whatever the request held, well under SQS's message
 * size limit (1 MiB): a 600,000-character id echoed whole, with a reason
 * quoting it, would make a response SQS refuses, and the request would come
 * back until it was dead-lettered instead of being answered.
 */
export const ECHO_MAX_CHARS = 1024;

/** The response to a request, in the words the request was written in. */
export function makerResponse(
  ids: RequestIds,
  outcome: Exclude<RequestOutcome, { kind: "unavailable" }>,
  messageId?: string,
): MakerResponse | SeedResponse {
  const requestId = echoed(ids.requestId);
  const widgetId = echoed(ids.widgetId);
  if (ids.seed) {
    return {
      MessageId: messageId,
      WidgetId: widgetId,
      ...(outcome.kind === "made"
        ? { Status: "OK" as const }
        : { Status: "REJECTED" as const, Reason: echoed(outcome.reason) }),
    };
  }
  if (outcome.kind === "made") {
    return {
      requestId,
      widgetId,
      status: "OK",
      location: outcome.location ?? null,
      httpStatus: outcome.status,
    };
  }
  return {
    requestId,
    widgetId,
    status: "REJECTED",
    reason: echoed(outcome.reason),
    ...(outcome.status === undefined ? {} : { httpStatus: outcome.status }),
  };
}

/** `text` cut to {@link ECHO_MAX_CHARS}, ending in `...` when cut (never inside a surrogate pair). */
function echoed(text: string): string;
function echoed(text: string | null): string | null;
function echoed(text: string | null): string | null {
  if (text === null || text.length <= ECHO_MAX_CHARS) return text;
  let end = ECHO_MAX_CHARS - 3;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}...`;
}
