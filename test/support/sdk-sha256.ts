import { createHash, createHmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";

/**
 * The AWS SDK's SHA-256 contract (`Checksum`) over node:crypto, HMAC when
 * given a secret: what `@smithy/signature-v4`'s `SignatureV4` needs to sign
 * a request in a test, as the SDK's own clients sign it.
 */
export class Sha256 implements Checksum {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined
      ? createHash("sha256")
      : createHmac("sha256", bytes(this.secret));
  }
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
