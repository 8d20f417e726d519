/** A request target's path and query string, as received (still percent-encoded). */
export interface RequestTarget {
  /** `/000000000000/q`, `/`. */
  path: string;
  /** Without the `?`; "" when none. */
  query: string;
}

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Splits `req.url` into its path and query. A target in absolute form
 * (`http://host:port/path?query`, what a client configured with a proxy
 * sends) counts by its path and query: RFC 9112 section 3.2.2 says a server
 * must accept it, and SigV4 signers sign the path alone.
 */
export function splitRequestTarget(target: string): RequestTarget {
  let start = 0;
  if (!target.startsWith("/")) {
    const origin = ABSOLUTE_FORM.exec(target);
    if (origin !== null) start = origin[0].length;
  }
  const mark = target.indexOf("?", start);
  const path = mark < 0 ? target.slice(start) : target.slice(start, mark);
  return { path: path === "" ? "/" : path, query: mark < 0 ? "" : target.slice(mark + 1) };
}
