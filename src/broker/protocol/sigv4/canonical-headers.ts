import type { IncomingHttpHeaders } from "node:http";

const NEEDS_FOLDING = /[\t\r\n]| {2}/;

/**
 * The canonical headers block: one `name:value\n` line per signed header, in
 * the order signed. Values are trimmed with inner runs of spaces and tabs
 * folded to one space (as @smithy's `getCanonicalHeaders`). A header sent
 * several times is each of its values folded, joined with `,` (as botocore's
 * signer does). Node's `headers` cannot tell: it joins most repeated headers
 * with `, `, `cookie` with `; `, and keeps only the first of others
 * (`content-type`, `user-agent`, `host`...). So when the request repeats any
 * header (it has more raw headers than names), every value is read again
 * from `rawHeaders`. A signed header missing from the request signs as
 * empty, so the signature fails.
 */
export function canonicalHeaders(
  names: readonly string[],
  headers: IncomingHttpHeaders,
  rawHeaders: readonly string[],
): string {
  const repeats = rawHeaders.length > 2 * Object.keys(headers).length;
  let out = "";
  for (const name of names) {
    // Own properties only: a signed header named `constructor` is not Object's.
    const raw = Object.hasOwn(headers, name) ? headers[name] : undefined;
    let value: string;
    if (raw === undefined) value = "";
    else if (repeats) value = valuesReceived(name, rawHeaders).map(fold).join(",");
    else value = fold(typeof raw === "string" ? raw : raw.join(","));
    out += `${name}:${value}\n`;
  }
  return out;
}

/** Every value of the header `name` (lower case), as received. */
function valuesReceived(name: string, rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

function fold(value: string): string {
  if (!NEEDS_FOLDING.test(value)) return value.trim();
  return value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}
