import { uriEscape } from "./uri-escape.ts";

/** `/seg/seg...` of unreserved characters, no empty, `.` or `..` segment: already canonical. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;

/**
 * The canonical URI of a request path as received. The path on the wire is
 * already percent-encoded once, and SigV4 for every service but S3 encodes it
 * again (`%20` becomes `%2520`), after dropping empty and `.` segments and
 * resolving `..`: what @smithy/signature-v4 does with its default
 * `uriEscapePath: true`, so the broker agrees with the SDK's own signer.
 */
export function canonicalUri(path: string): string {
  if (path === "") return "/";
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEscape(segment));
  }
  const lead = path.startsWith("/") ? "/" : "";
  const trail = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return `${lead}${segments.join("/")}${trail}`;
}
