import { createHash } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { ConsoleAsset } from "./console-asset.ts";

/** The console's page may only load what the console serves itself. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

interface Served {
  readonly asset: ConsoleAsset;
  readonly gzipped: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * The console port's request handler. A GET of `/` (without a query) or of
 * one of the console's files is answered from memory, gzipped when the
 * browser accepts it; hashed file names are cached for a year, index.html is
 * revalidated every time. Every other request (the SQS API's POST `/`, a
 * Query GET, `/_mailroom/*`, `/metrics`) goes to `api`, the broker port's
 * own handler, so the page calls the public API on its own origin.
 */
export function createConsoleHandler(
  assets: readonly ConsoleAsset[],
  api: RequestListener,
): RequestListener {
  const served = new Map<string, Served>();
  for (const asset of assets) {
    served.set(`/${asset.name}`, {
      asset,
      gzipped: gzipSync(asset.body, { level: 9 }),
      etag: `"${createHash("sha256").update(asset.body).digest("base64url").slice(0, 22)}"`,
      cacheControl: asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
  }
  const index = served.get("/index.html");

  return function handleConsoleRequest(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    if (method === "GET" || method === "HEAD") {
      const file = url === "/" ? index : served.get(url);
      if (file !== undefined) return serve(req, res, file);
    }
    api(req, res);
  };
}

function serve(req: IncomingMessage, res: ServerResponse, file: Served): void {
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  // Each encoding is its own representation, with its own tag (RFC 9110 8.8.3).
  const etag = gzip ? `${file.etag.slice(0, -1)}-gz"` : file.etag;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    "content-type": file.asset.contentType,
    "cache-control": file.cacheControl,
    etag,
    vary: "accept-encoding",
  };
  if (etagListed(req.headers["if-none-match"], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = gzip ? file.gzipped : file.asset.body;
  if (gzip) headers["content-encoding"] = "gzip";
  headers["content-length"] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Whether `If-None-Match` (a list of tags, weak ones too, or `*`) names `etag`. */
function etagListed(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
