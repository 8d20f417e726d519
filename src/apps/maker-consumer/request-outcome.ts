import type { MakerReply } from "./maker-client.ts";

/** What a widget request came to, as far as the queue is concerned. */
export type RequestOutcome =
  /** The maker has the widget: `201` made now, `200` made before (a repeat). */
  | { readonly kind: "made"; readonly status: number; readonly location: string | undefined }
  /** The request can never succeed; answered and deleted. `status` is absent when rejected before posting. */
  | { readonly kind: "rejected"; readonly reason: string; readonly status?: number }
  /** Worth another try later: the request stays on the queue. */
  | { readonly kind: "unavailable"; readonly reason: string };

/**
 * Statuses by which the maker says this request can never succeed: invalid
 * (400, and the course's 403 for an invalid id), a conflict (409), too large
 * (413), not a create (422). Any other 4xx (404, 405, 401...) or a redirect
 * more likely means a wrong `--maker-url`, which retries and the dead-letter
 * queue survive and deleting would not.
 */
const NEVER_STATUSES = new Set([400, 403, 409, 413, 422]);

/**
 * The course's refusal of an invalid id, which its consumer deletes on the
 * status alone (WIDGETS.md): the seed's own Flask maker answers it with an
 * HTML page, not `{"error": ...}`.
 */
const INVALID_ID_STATUS = 403;

/**
 * Sorts a maker reply: 2xx made; the statuses above rejected when the maker
 * said why in its own words (`{"error": "..."}`, as every refusal of
 * `mailroom maker` is); anything else, and no answer at all, mean the maker
 * is unavailable (or not where it was looked for), so the request is tried
 * again. A 400 (409, 413, 422) alone proves nothing: the broker answers a
 * stray POST with 400 and an XML body, and deleting the request on its word
 * would lose it. A 403 alone is the course's invalid id, as the seed's maker says it.
 */
export function classifyReply(reply: MakerReply): RequestOutcome {
  if (reply.kind === "unreachable") {
    return { kind: "unavailable", reason: `maker unreachable (${reply.reason})` };
  }
  const { status, error } = reply;
  if (status >= 200 && status < 300) return { kind: "made", status, location: reply.location };
  if (error !== undefined && NEVER_STATUSES.has(status)) {
    return { kind: "rejected", status, reason: error };
  }
  if (status === INVALID_ID_STATUS) {
    return { kind: "rejected", status, reason: "the maker refused the request (403: invalid id)" };
  }
  const said =
    error !== undefined
      ? `: ${error}`
      : status >= 300 && status < 400 && reply.location !== undefined
        ? ` (a redirect to ${reply.location})`
        : status >= 400 && status < 500
          ? ` without the widget maker's {"error": ...} body, so it is not the maker's answer: is --maker-url the widget maker?`
          : "";
  return { kind: "unavailable", reason: `maker answered ${status}${said}` };
}
