import { formatAmzDate } from "./amz-date.ts";
import {
  badExpires,
  expiresTooLong,
  presignedUrlExpired,
  signatureExpired,
  signatureNotYetCurrent,
} from "./auth-errors.ts";

/** How far a signing time may be from the server's, either way (AWS's 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The longest a presigned URL may live: a week, as SigV4 allows. */
export const MAX_PRESIGNED_EXPIRES_S = 604_800;

/**
 * Checks that a signature is current: signed no more than 15 minutes before
 * or after `now`, and for a presigned URL with `X-Amz-Expires`, used before
 * it runs out.
 *
 * AWS itself ignores `X-Amz-Expires` outside S3 and applies its 15 minutes to
 * presigned SQS and STS URLs too
 * (https://github.com/aws/aws-sdk-ruby/issues/2498,
 * https://github.com/aws/aws-sdk-go/issues/2167). The broker honours it, up
 * to a week: a URL someone presigned for an hour should work for an hour.
 * Without it a presigned URL gets the 15 minutes.
 *
 * @throws ProtocolError RequestExpired, or IncompleteSignature for an
 *   `X-Amz-Expires` that is not a number of seconds.
 */
export function checkFreshness(
  signedAt: number,
  amzDate: string,
  expires: string | undefined,
  now: number,
): void {
  const seconds = expires === undefined ? undefined : expiresSeconds(expires);
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw signatureNotYetCurrent(amzDate, at(now + MAX_CLOCK_SKEW_MS), at(now));
  }
  if (seconds === undefined) {
    if (signedAt < now - MAX_CLOCK_SKEW_MS) {
      throw signatureExpired(amzDate, at(now - MAX_CLOCK_SKEW_MS), at(now));
    }
    return;
  }
  const expiresAt = signedAt + seconds * 1000;
  if (now > expiresAt) throw presignedUrlExpired(at(expiresAt), at(now));
}

function expiresSeconds(expires: string): number {
  if (!/^\d{1,15}$/.test(expires)) throw badExpires(expires);
  const seconds = Number(expires);
  if (seconds > MAX_PRESIGNED_EXPIRES_S) throw expiresTooLong();
  return seconds;
}

/** Server times in errors: whole seconds, the form of X-Amz-Date. */
function at(ms: number): string {
  return formatAmzDate(ms);
}
