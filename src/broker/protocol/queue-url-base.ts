import { wellFormedHost } from "./host-header.ts";

/**
 * The start of a request's queue URLs, `scheme://host[:port]`, before
 * `/<account>/<name>`: given the request's Host header, what its answers
 * point to.
 */
export type QueueUrlBase = (hostHeader: string | undefined) => string;

/**
 * A fixed base when the broker was given one (`--queue-url-base`: behind a
 * proxy or a port forward, or for clients that send Host without the port);
 * otherwise `http://` and the request's Host header when it is well formed,
 * else the broker's own address (`ownHost`, host:port).
 */
export function queueUrlBase(fixed: string | undefined, ownHost: () => string): QueueUrlBase {
  if (fixed !== undefined) return () => fixed;
  return (hostHeader) => `http://${wellFormedHost(hostHeader) ?? ownHost()}`;
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
