import { createHmac } from "node:crypto";
import { SigningKey } from "./signing-key.ts";

/**
 * Signing keys by credential (`AKID/date/region/service/aws4_request`), so the
 * four HMACs that derive a key run once a day per key and region rather than
 * on every request. Bounded: when full, the oldest entry goes (a day's keys
 * are replaced by the next day's, and a client cycling through made-up
 * regions cannot grow it).
 */
export class SigningKeyCache {
  private readonly keys = new Map<string, SigningKey>();

  /** @param maxEntries Keys kept. Default 64. */
  constructor(private readonly maxEntries = 64) {}

  /**
   * The signing key for `credential`, derived from `secretAccessKey` on a miss.
   * `credential` must name the key `secretAccessKey` belongs to.
   */
  get(
    credential: string,
    secretAccessKey: string,
    date: string,
    region: string,
    service: string,
  ): SigningKey {
    let key = this.keys.get(credential);
    if (key === undefined) {
      key = new SigningKey(deriveSigningKey(secretAccessKey, date, region, service));
      if (this.keys.size >= this.maxEntries) {
        this.keys.delete(this.keys.keys().next().value as string);
      }
      this.keys.set(credential, key);
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** SigV4's kSigning: HMAC chain over date, region, service and `aws4_request`. */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}
