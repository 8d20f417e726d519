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

/** The response to a request, in the words the request was written in. */
export function makerResponse(
  ids: RequestIds,
  outcome: Exclude<RequestOutcome, { kind: "unavailable" }>,
  messageId?: string,
): MakerResponse | SeedResponse {
  const { requestId, widgetId } = ids;
  if (ids.seed) {
    return {
      MessageId: messageId,
      WidgetId: widgetId,
      ...(outcome.kind === "made"
        ? { Status: "OK" as const }
        : { Status: "REJECTED" as const, Reason: outcome.reason }),
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
    reason: outcome.reason,
    ...(outcome.status === undefined ? {} : { httpStatus: outcome.status }),
  };
}
