/**
 * A `Host` header fit to build queue URLs from: a DNS name, an IPv4
 * address or a bracketed IPv6 address, with an optional port. Anything else
 * (spaces, paths, user info, a second host) is ignored and the broker's own
 * address used instead, so a client cannot make the broker hand out URLs
 * that point somewhere else.
 */
const WELL_FORMED_HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

export function wellFormedHost(host: string | undefined): string | undefined {
  return host !== undefined && host.length <= 260 && WELL_FORMED_HOST.test(host) ? host : undefined;
}
