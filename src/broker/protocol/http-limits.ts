/**
 * How long the HTTP front waits for clients, and how many it holds at once.
 * Every limit has a default fit for a broker on a laptop or in CI, and a
 * server flag (see `mailroom server --help`).
 */
export interface HttpLimits {
  /** Complete request headers must arrive within this long of their first byte (slow-loris). */
  headersTimeoutMs: number;
  /** A whole request, body included, must arrive within this long. */
  requestTimeoutMs: number;
  /**
   * A connection with no request in progress is closed after this long:
   * one that never sent anything, and one kept alive between requests.
   * Longer than SDKs keep idle sockets, so they close first (no race).
   */
  idleTimeoutMs: number;
  /** Open connections at most; at the limit, the longest-idle one makes room, or the new one is refused. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<Omit<HttpLimits, "maxConnections">> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 65_000,
};

/** The connection cap when none is given: what the file limit allows, at most this. */
export const MAX_CONNECTIONS_CEILING = 16_384;

/**
 * The limits with the defaults filled in. Node wants the headers timeout no
 * longer than the request timeout (the headers are part of the request), so
 * a timeout given wins over a default one: a request timeout of 5 s alone
 * makes the headers timeout 5 s too, a headers timeout of 90 s alone makes
 * the request timeout 90 s. Both given the other way round is refused
 * (RangeError), before anything is made of them.
 */
export function resolveHttpLimits(
  given: Partial<HttpLimits>,
  defaultMaxConnections: () => number,
): HttpLimits {
  const { headersTimeoutMs, requestTimeoutMs } = given;
  if (
    headersTimeoutMs !== undefined &&
    requestTimeoutMs !== undefined &&
    headersTimeoutMs > requestTimeoutMs
  ) {
    throw new RangeError(
      `the headers timeout (${headersTimeoutMs} ms) is longer than the request timeout (${requestTimeoutMs} ms) it is part of`,
    );
  }
  return {
    headersTimeoutMs:
      headersTimeoutMs ??
      Math.min(DEFAULT_HTTP_LIMITS.headersTimeoutMs, requestTimeoutMs ?? Infinity),
    requestTimeoutMs:
      requestTimeoutMs ?? Math.max(DEFAULT_HTTP_LIMITS.requestTimeoutMs, headersTimeoutMs ?? 0),
    idleTimeoutMs: given.idleTimeoutMs ?? DEFAULT_HTTP_LIMITS.idleTimeoutMs,
    maxConnections: given.maxConnections ?? defaultMaxConnections(),
  };
}
