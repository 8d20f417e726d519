import type { MakerReply } from "./maker-client.ts";

/** What a widget request came to, as far as the queue is concerned. */
export type RequestOutcome =
  /** The maker has the widget: `201` made now, `200` made before (a repeat). */
  | { readonly kind: "made"; readonly status: number; readonly location: string | undefined }
  /** The request can never succeed; answered and deleted. `status` is absent when rejected before posting. */
  | { readonly kind: "rejected"; readonly reason: string; readonly status?: number }
  /** Worth another try later: the request stays on the queue. */
  | { readonly kind: "unavailable"; readonly reason: string };

/** Statuses in the 4xx range that mean "later", not "never". */
const TRANSIENT_CLIENT_ERRORS = new Set([408, 425, 429]);

/**
 * Sorts a maker reply: 2xx made; 4xx rejected (except timeouts and rate
 * limits); 5xx, anything unexpected and no answer at all mean the maker is
 * unavailable, so the request is tried again.
 */
export function classifyReply(reply: MakerReply): RequestOutcome {
  if (reply.kind === "unreachable") {
    return { kind: "unavailable", reason: `maker unreachable (${reply.reason})` };
  }
  const { status } = reply;
  if (status >= 200 && status < 300) return { kind: "made", status, location: reply.location };
  const said = reply.error === undefined ? "" : `: ${reply.error}`;
  if (status >= 400 && status < 500 && !TRANSIENT_CLIENT_ERRORS.has(status)) {
    return { kind: "rejected", status, reason: reply.error ?? `the maker answered ${status}` };
  }
  return { kind: "unavailable", reason: `maker answered ${status}${said}` };
}
