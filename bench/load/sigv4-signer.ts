import { createHmac, hash } from "node:crypto";
import type { WireHeaders } from "./sqs-wire.ts";

/** An access key the signed scenarios use, and the region they sign for. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const SERVICE = "sqs";
const BLOCK = 64; // SHA-256's block size, in bytes
const DIGEST = 32;

/** What never changes between two requests with the same base headers. */
interface HeaderPlan {
  /** Canonical header lines that sort before `x-amz-date`. */
  before: string;
  /** Canonical header lines that sort after it. */
  after: string;
  /** `content-type;host;x-amz-date;x-amz-target`. */
  signedHeaders: string;
}

/** HMAC-SHA256 with the pads of one key computed once (RFC 2104), two one-shot hashes a call. */
class HmacKey {
  readonly #inner: Buffer;
  /** The outer pad, then room for the inner digest. */
  readonly #outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
  #scratch = Buffer.allocUnsafe(1024);

  constructor(key: Buffer) {
    this.#inner = Buffer.alloc(BLOCK, 0x36);
    for (let i = 0; i < key.length; i++) {
      this.#inner[i]! ^= key[i]!;
      this.#outer[i]! ^= key[i]!;
    }
  }

  hex(text: string): string {
    const room = BLOCK + text.length * 3;
    if (this.#scratch.length < room) this.#scratch = Buffer.allocUnsafe(room);
    this.#inner.copy(this.#scratch, 0);
    const written = this.#scratch.write(text, BLOCK, "utf8");
    const inner = hash("sha256", this.#scratch.subarray(0, BLOCK + written), "binary");
    this.#outer.write(inner, BLOCK, "binary");
    return hash("sha256", this.#outer, "hex");
  }
}

/**
 * Signs POSTs to `/` with AWS Signature Version 4 in the `Authorization`
 * header, as an SDK would: `content-type`, `host`, `x-amz-date` and
 * `x-amz-target` (JSON) signed, the payload hashed (no
 * `x-amz-content-sha256` header, which the SQS SDKs do not send either).
 *
 * Cheap on purpose, because it runs in the load generator: the signing key
 * is derived once per day, `X-Amz-Date` formatted once per second, the
 * constant parts of the canonical request built once per header set, and
 * the HMAC done with precomputed pads. That leaves three SHA-256 of short
 * texts and an HMAC per request (measured in docs/benchmarks.md).
 */
export class SigV4Signer {
  readonly #credentials: SigningCredentials;
  /** `host:127.0.0.1:9324\n`: what every client here sends for the origin. */
  readonly #hostLine: string;
  readonly #plans = new Map<WireHeaders, HeaderPlan>();
  #second = -1;
  #amzDate = "";
  #day = "";
  #scope = "";
  #credentialPrefix = "";
  #key: HmacKey | undefined;

  constructor(credentials: SigningCredentials, origin: string) {
    this.#credentials = credentials;
    this.#hostLine = `host:${new URL(origin).host}\n`;
  }

  /** `headers` plus `x-amz-date` and `authorization`, for this `body` sent now. */
  sign(headers: WireHeaders, body: string): WireHeaders {
    const plan = this.#planFor(headers);
    const amzDate = this.#currentDate();
    const canonical =
      `POST\n/\n\n${plan.before}x-amz-date:${amzDate}\n${plan.after}\n${plan.signedHeaders}\n` +
      hash("sha256", body, "hex");
    const toSign = `${ALGORITHM}\n${amzDate}\n${this.#scope}\n${hash("sha256", canonical, "hex")}`;
    return {
      ...headers,
      "x-amz-date": amzDate,
      authorization: `${this.#credentialPrefix}SignedHeaders=${plan.signedHeaders}, Signature=${this.#key!.hex(toSign)}`,
    };
  }

  #planFor(headers: WireHeaders): HeaderPlan {
    let plan = this.#plans.get(headers);
    if (plan !== undefined) return plan;
    const lines = new Map<string, string>([["host", this.#hostLine]]);
    for (const [name, value] of Object.entries(headers)) {
      lines.set(name.toLowerCase(), `${name.toLowerCase()}:${value.trim()}\n`);
    }
    const names = [...lines.keys(), "x-amz-date"].sort();
    const at = names.indexOf("x-amz-date");
    plan = {
      before: names
        .slice(0, at)
        .map((name) => lines.get(name)!)
        .join(""),
      after: names
        .slice(at + 1)
        .map((name) => lines.get(name)!)
        .join(""),
      signedHeaders: names.join(";"),
    };
    this.#plans.set(headers, plan);
    return plan;
  }

  /** `20261204T173824Z`, reformatted when the second changes; a new day derives a new key. */
  #currentDate(): string {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second === this.#second) return this.#amzDate;
    this.#second = second;
    this.#amzDate = new Date(second * 1000).toISOString().replace(/[-:]|\.\d{3}/g, "");
    const day = this.#amzDate.slice(0, 8);
    if (day !== this.#day) this.#deriveKey(day);
    return this.#amzDate;
  }

  #deriveKey(day: string): void {
    const { accessKeyId, secretAccessKey, region } = this.#credentials;
    const hmac = (key: string | Buffer, text: string): Buffer =>
      createHmac("sha256", key).update(text).digest();
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), SERVICE),
      "aws4_request",
    );
    this.#day = day;
    this.#scope = `${day}/${region}/${SERVICE}/aws4_request`;
    this.#credentialPrefix = `${ALGORITHM} Credential=${accessKeyId}/${this.#scope}, `;
    this.#key = new HmacKey(signingKey);
  }
}
