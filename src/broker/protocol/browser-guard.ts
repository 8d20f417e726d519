import type { IncomingHttpHeaders } from "node:http";
import { ProtocolError } from "./protocol-error.ts";

/** Throws AccessDenied for a request a browser made on behalf of a page the broker did not serve. */
export type BrowserGuard = (headers: IncomingHttpHeaders) => void;

/**
 * Keeps other web pages away from the broker. Any page a user opens could
 * otherwise drive an open broker through the user's browser: a form or an
 * image GETs and POSTs Query requests (`Action=PurgeQueue`) with no CORS
 * preflight, and a page on a name that resolves to 127.0.0.1 (DNS
 * rebinding) can even read the answers. SDKs send neither `Origin` nor
 * `Sec-Fetch-Site`, and the broker sends no CORS headers, so no client that
 * works today is turned away. Refused:
 * - a browser's request from another origin (`Sec-Fetch-Site` cross-site or
 *   same-site, or an `Origin` that is not the `Host` it was sent to);
 * - when the broker listens on loopback only, a browser's request to a
 *   `Host` that is not a loopback name (localhost, `*.localhost`,
 *   127.0.0.0/8, [::1]) or `allowedHost` (the host of `--queue-url-base`).
 */
export function createBrowserGuard(options: {
  loopbackOnly: boolean;
  allowedHost?: string;
}): BrowserGuard {
  const allowed = options.allowedHost?.toLowerCase();
  return (headers) => {
    const site = headers["sec-fetch-site"];
    const origin = headers.origin;
    if (site === undefined && origin === undefined) return;
    if (site === "cross-site" || site === "same-site" || !sameOrigin(origin, headers.host)) {
      throw new ProtocolError(
        "AccessDenied",
        `The broker does not answer web pages of other origins (${origin ?? `Sec-Fetch-Site: ${site}`}): ` +
          "call it from an SDK or from its own console.",
      );
    }
    const host = hostnameOf(headers.host ?? "");
    if (options.loopbackOnly && !isLoopbackName(host) && host !== allowed) {
      throw new ProtocolError(
        "AccessDenied",
        `The broker listens on loopback only and answers browsers only at a loopback name, ` +
          `not "${headers.host ?? ""}": open it at localhost or 127.0.0.1.`,
      );
    }
  };
}

/** Whether `origin` (absent when the browser sends none, as on a same-origin GET) is `host`'s. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined || origin === "null") return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/** The host name of a `Host` header, lower case, without its port (IPv6 keeps its brackets). */
function hostnameOf(host: string): string {
  const bare = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  return bare.toLowerCase();
}

function isLoopbackName(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
