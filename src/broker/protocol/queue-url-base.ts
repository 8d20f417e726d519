import { wellFormedHost } from "./host-header.ts";

/**
 * The start of a request's queue URLs, `scheme://host[:port]`, before
 * `/<account>/<name>`: given the request's Host header, what its answers
 * point to.
 */
export type QueueUrlBase = (hostHeader: string | undefined) => string;

/** Ends in `:<port>` (a bracketed IPv6 address ends in `]` when it has none). */
const HAS_PORT = /:[0-9]+$/;

/**
 * A fixed base when the broker was given one (`--queue-url-base`: behind a
 * proxy or a port forward, or for clients that send Host without the port);
 * otherwise `http://` and the request's Host header when it is well formed,
 * else the broker's own address (`ownHost`, host:port).
 *
 * A Host without a port means port 80, as HTTP has it, since behind a proxy
 * on port 80 that is right. But some clients (Perl's Amazon::SQS::Simple,
 * Ruby's aws-sdk v1, fog) leave the port out whatever port they reached, and
 * then fail on the URLs they are given with a "connection refused" that
 * does not say why: `onPortlessHost` is told of the first such Host, so the
 * broker can say it in its log.
 */
export function queueUrlBase(
  fixed: string | undefined,
  ownHost: () => string,
  onPortlessHost?: (host: string) => void,
): QueueUrlBase {
  if (fixed !== undefined) return () => fixed;
  let told = onPortlessHost === undefined;
  return (hostHeader) => {
    const host = wellFormedHost(hostHeader);
    if (host === undefined) return `http://${ownHost()}`;
    if (!told && !HAS_PORT.test(host)) {
      told = true;
      onPortlessHost!(host);
    }
    return `http://${host}`;
  };
}

/**
 * Reads a queue URL base: `http` or `https`, a host, an optional port and
 * nothing else (no path: the broker reads a queue from the last two parts
 * of a URL's path, and a client may post to the URL itself).
 *
 * @returns it as `scheme://host[:port]`, without a trailing slash.
 * @throws RangeError naming what is wrong.
 */
export function parseQueueUrlBase(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`"${text}" is not a URL (e.g. http://sqs.example.com:9324)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RangeError(`"${text}" must start with http:// or https://`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new RangeError(`"${text}" may hold only a scheme, a host and a port`);
  }
  if (url.pathname !== "/") throw new RangeError(`"${text}" may not have a path`);
  if (wellFormedHost(url.host) === undefined) {
    throw new RangeError(`"${text}" does not name a host`);
  }
  return `${url.protocol}//${url.host}`;
}
