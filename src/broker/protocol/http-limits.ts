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
