import { ApiError, BrokerUnreachable } from "../api/api-error.ts";

/**
 * An error in place, with AWS's code and message when the broker sent one.
 * A broker that did not answer is said once, by the frame's banner, not by
 * every request of the page; a modal dialog, which hides the banner, says
 * it itself (`evenUnreachable`).
 */
export function ErrorNote({ error, evenUnreachable }: { error: unknown; evenUnreachable?: true }) {
  if (error === undefined || error === null) return null;
  if (error instanceof BrokerUnreachable && !evenUnreachable) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p class="error" role="alert">
      {code === undefined ? null : <strong>{code}: </strong>}
      {message}
    </p>
  );
}
