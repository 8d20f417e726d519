import { hash } from "node:crypto";

const BLOCK = 64; // SHA-256's block size, in bytes
const DIGEST = 32;

/** Grown on demand, shared: `sign` is synchronous, so no two calls use it at once. */
let scratch = Buffer.allocUnsafe(1024);

/**
 * A SigV4 signing key ready to sign: HMAC-SHA256 (RFC 2104) with the key's
 * inner and outer pads computed once. `createHmac` imports the key and builds
 * an Hmac object on every call, which costs about twice two one-shot
 * `crypto.hash` calls; a key is reused for every request of a day.
 */
export class SigningKey {
  private readonly innerPad = Buffer.alloc(BLOCK, 0x36);
  /** The outer pad, then room for the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);

  /** @param key kSigning, 32 bytes (a key up to the block size is used as is). */
  constructor(key: Buffer) {
    if (key.length > BLOCK) throw new RangeError("SigningKey: key longer than a SHA-256 block");
    for (let i = 0; i < key.length; i++) {
      this.innerPad[i]! ^= key[i]!;
      this.outer[i]! ^= key[i]!;
    }
  }

  /** HMAC-SHA256 of `text` (UTF-8) under this key, lower-case hex: the signature. */
  sign(text: string): string {
    // Three bytes of UTF-8 at most per UTF-16 unit: room without measuring the text.
    const room = BLOCK + text.length * 3;
    if (scratch.length < room) scratch = Buffer.allocUnsafe(room);
    this.innerPad.copy(scratch, 0);
    const written = scratch.write(text, BLOCK, "utf8");
    // The inner digest as a "binary" (latin1) string, written back byte for
    // byte: a Buffer result costs several times more (one made in C++ per call).
    const inner = hash("sha256", scratch.subarray(0, BLOCK + written), "binary");
    this.outer.write(inner, BLOCK, "binary");
    return hash("sha256", this.outer, "hex");
  }
}
