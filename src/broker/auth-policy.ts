import { isLoopbackHost } from "../web/loopback.ts";
import type { Credential } from "./protocol/sigv4/signed-request.ts";

/**
 * Who may call the broker. `none`: anyone who can reach it, as every local
 * emulator does. `sigv4`: requests signed with one of `credentials` (AWS
 * Signature Version 4, both protocols, header or presigned URL).
 */
export type BrokerAuth = { mode: "none" } | { mode: "sigv4"; credentials: readonly Credential[] };

/** The broker cannot start with the authentication it was given. */
export class AuthConfigError extends Error {
  override readonly name = "AuthConfigError";
}

/**
 * Settles the authentication of a broker bound to `host`: open by default
 * on a loopback address; on any other address only with credentials, or
 * when `none` is asked for in so many words (the CLI then warns at every
 * start). Every credential must belong to the broker's account, the one in
 * its queue URLs: one broker serves one account.
 *
 * @throws AuthConfigError
 */
export function settleAuth(
  host: string,
  accountId: string,
  auth: BrokerAuth | undefined,
): BrokerAuth {
  if (auth === undefined) {
    if (isLoopbackHost(host)) return { mode: "none" };
    throw new AuthConfigError(
      `refusing to serve ${host} without authentication: anyone on the network could use it. ` +
        `Give credentials (--auth sigv4 with --credentials FILE or MAILROOM_ACCESS_KEY_ID and ` +
        `MAILROOM_SECRET_ACCESS_KEY), or --auth none to allow it anyway`,
    );
  }
  if (auth.mode === "none") return auth;
  if (auth.credentials.length === 0) {
    throw new AuthConfigError(
      "--auth sigv4 needs credentials: --credentials FILE, or MAILROOM_ACCESS_KEY_ID and MAILROOM_SECRET_ACCESS_KEY",
    );
  }
  const stranger = auth.credentials.find((credential) => credential.accountId !== accountId);
  if (stranger !== undefined) {
    throw new AuthConfigError(
      `access key ${stranger.accessKeyId} belongs to account ${stranger.accountId}, ` +
        `but this broker serves account ${accountId} (--account-id): one broker serves one account`,
    );
  }
  return auth;
}
