import type { IncomingHttpHeaders } from "node:http";

const NEEDS_FOLDING = /[\t\r\n]| {2}/;

/**
 * The canonical headers block: one `name:value\n` line per signed header, in
 * the order signed. Values are trimmed with inner runs of spaces and tabs
 * folded to one space (as @smithy's `getCanonicalHeaders`); a header node
 * received several times arrives as a list and is joined with `,`. A signed
 * header missing from the request signs as empty, so the signature fails.
 *
 * Node itself joins most repeated headers with `, ` before we see them, where
 * AWS would join with `,`; the AWS SDKs never repeat a header, so this only
 * matters for hand-written clients.
 */
export function canonicalHeaders(names: readonly string[], headers: IncomingHttpHeaders): string {
  let out = "";
  for (const name of names) {
    const raw = headers[name];
    const value = raw === undefined ? "" : Array.isArray(raw) ? raw.join(",") : raw;
    out += `${name}:${fold(value)}\n`;
  }
  return out;
}

function fold(value: string): string {
  if (!NEEDS_FOLDING.test(value)) return value.trim();
  return value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}
