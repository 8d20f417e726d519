import { stdSerializers } from "pino";
import type { SerializedError } from "pino";

/**
 * pino's error serializer, but with each cause's message appended only when
 * the message so far does not already quote it: an app's error often says
 * what failed and why in one (`cannot reach SQS: connect ECONNREFUSED ...`,
 * its cause the SDK's `connect ECONNREFUSED ...`), and pino would append
 * the cause's message again.
 */
export function serializeError(error: unknown): SerializedError {
  const serialized = stdSerializers.err(error as Error);
  if (error instanceof Error) serialized.message = messageWithNewCauses(error);
  return serialized;
}

function messageWithNewCauses(error: Error): string {
  let message = error.message;
  const seen = new Set<unknown>([error]);
  for (let cause = error.cause; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
    seen.add(cause);
    if (cause.message !== "" && !message.includes(cause.message)) {
      message = `${message}: ${cause.message}`;
    }
  }
  return message;
}
