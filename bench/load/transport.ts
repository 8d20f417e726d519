import type { WireHeaders } from "./sqs-wire.ts";

/** One answered HTTP request. */
export interface WireResponse {
  status: number;
  body: string;
}

/**
 * A keep-alive connection pool to one origin that POSTs to `/`. Every caller
 * in the generator goes through this, so the HTTP client can be swapped
 * (`--client`) and measured against the ceiling server.
 */
export interface Transport {
  post(headers: WireHeaders, body: string): Promise<WireResponse>;
  close(): Promise<void>;
}

/** Which HTTP client the generator uses; see docs/benchmarks.md for why undici is the default. */
export type ClientKind = "undici" | "node-http" | "raw";
