import type { IncomingHttpHeaders } from "node:http";
import { isLoopbackName } from "./loopback.ts";

/** What a server on this machine answers browsers for. */
export interface ForeignPageOptions {
  /** The server listens on loopback only: browsers must reach it by a loopback name. */
  readonly loopbackOnly: boolean;
  /** Another host name browsers may use (the host of a configured public URL). */
  readonly allowedHost?: string;
}

/**
 * Why a request must be refused as a browser's request on behalf of a web
 * page the server did not serve, or undefined when it may be answered. Any
 * page a user opens could otherwise drive a local server through the
 * user's browser: forms and images send GETs and form POSTs across origins
 * with no CORS preflight, and a page on a name that resolves to 127.0.0.1
 * (DNS rebinding) can even read the answers. Clients that are not browsers
 * send neither `Origin` nor `Sec-Fetch-Site` and are never refused.
 * Refused:
 * - a browser's request from another origin (`Sec-Fetch-Site` cross-site or
 *   same-site, or an `Origin` that is neither the `Host` it was sent to nor
 *   `allowedHost`, the public name of a server behind a proxy);
 * - on a loopback-only server, a browser's request to a `Host` that is not a
 *   loopback name (localhost, `*.localhost`, 127.0.0.0/8, [::1]) or
 *   `allowedHost`.
 */
export function foreignPageRefusal(
  headers: IncomingHttpHeaders,
  options: ForeignPageOptions,
): string | undefined {
  const site = headers["sec-fetch-site"];
  const origin = headers.origin;
  if (site === undefined && origin === undefined) return undefined;
  const allowed = options.allowedHost?.toLowerCase();
  const ownOrigin =
    sameOrigin(origin, headers.host) ||
    (allowed !== undefined && originHostname(origin) === allowed);
  if (site === "cross-site" || site === "same-site" || !ownOrigin) {
    return `requests from web pages of other origins are refused (${origin ?? `Sec-Fetch-Site: ${site}`})`;
  }
  const host = hostnameOf(headers.host ?? "");
  if (options.loopbackOnly && !isLoopbackName(host) && host !== allowed) {
    return (
      `this server listens on loopback only and answers browsers only at a loopback name, ` +
      `not "${headers.host ?? ""}": open it at localhost or 127.0.0.1`
    );
  }
  return undefined;
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

/** The host name an `Origin` names (a proxy in front may have given the request another `Host`). */
function originHostname(origin: string | undefined): string | undefined {
  if (origin === undefined || origin === "null") return undefined;
  try {
    return new URL(origin).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The host name of a `Host` header, lower case, without its port (IPv6 keeps its brackets). */
function hostnameOf(host: string): string {
  const bare = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  return bare.toLowerCase();
}
