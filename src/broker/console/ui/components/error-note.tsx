import { ApiError } from "../api/api-error.ts";

/** An error in place, with AWS's code and message when the broker sent one. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p class="error" role="alert">
      {code === undefined ? null : <strong>{code}: </strong>}
      {message}
    </p>
  );
}
