import { performance } from "node:perf_hooks";
import { SigV4Signer } from "./sigv4-signer.ts";
import type { SigningCredentials } from "./sigv4-signer.ts";
import type { WireHeaders } from "./sqs-wire.ts";
import type { Transport, WireResponse } from "./transport.ts";

/**
 * Signs every request with SigV4 before handing it to the real transport,
 * and keeps the time signing took, so the report can say what signing costs
 * the generator per request (it shares two cores with the broker).
 */
export class SigningTransport implements Transport {
  readonly #inner: Transport;
  readonly #signer: SigV4Signer;
  #signed = 0;
  #signingMs = 0;

  constructor(inner: Transport, credentials: SigningCredentials, origin: string) {
    this.#inner = inner;
    this.#signer = new SigV4Signer(credentials, origin);
  }

  post(headers: WireHeaders, body: string): Promise<WireResponse> {
    const startedAt = performance.now();
    const signed = this.#signer.sign(headers, body);
    this.#signingMs += performance.now() - startedAt;
    this.#signed++;
    return this.#inner.post(signed, body);
  }

  /** Mean wall time of one signature so far, in µs (the generator is single-threaded: CPU time). */
  get signingUsPerRequest(): number {
    return this.#signed === 0 ? 0 : (this.#signingMs * 1000) / this.#signed;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
