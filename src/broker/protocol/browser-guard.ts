import type { IncomingHttpHeaders } from "node:http";
import { foreignPageRefusal } from "../../web/foreign-page.ts";
import type { ForeignPageOptions } from "../../web/foreign-page.ts";
import { ProtocolError } from "./protocol-error.ts";

/** Throws AccessDenied for a request a browser made on behalf of a page the broker did not serve. */
export type BrowserGuard = (headers: IncomingHttpHeaders) => void;

/**
 * Keeps other web pages away from the broker (see foreignPageRefusal): a
 * page a user opens could otherwise purge or delete queues with Query GETs
 * and form POSTs. SDKs send no browser headers, and the broker sends no CORS
 * headers, so no client that works today is turned away.
 */
export function createBrowserGuard(options: ForeignPageOptions): BrowserGuard {
  return (headers) => {
    const refusal = foreignPageRefusal(headers, options);
    if (refusal !== undefined) {
      throw new ProtocolError(
        "AccessDenied",
        `The broker does not serve this request: ${refusal}.`,
      );
    }
  };
}
