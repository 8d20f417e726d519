import { AppError } from "../app-error.ts";

/** Errors of the connection itself: nothing the service said. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPROTO",
]);

/**
 * Turns "cannot reach the endpoint" and "no credentials" into one readable
 * line; anything else is returned unchanged.
 */
export function describeConnectionError(error: unknown, service: string): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new AppError(`cannot reach ${service}: ${error.message}`, 1, { cause: error });
  }
  if (error.name === "CredentialsProviderError") {
    return new AppError(
      `no AWS credentials for ${service}: set AWS_PROFILE or AWS_ACCESS_KEY_ID, pass --profile with a profile that exists, or use --endpoint-url for a local service`,
      1,
      { cause: error },
    );
  }
  return error;
}
