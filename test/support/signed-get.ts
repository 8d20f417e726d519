import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Checksum, SourceData } from "@smithy/types";

/** An access key pair, as the broker's `--auth sigv4` credentials. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The SDK's SHA-256 contract over node:crypto (HMAC when given a secret). */
class Sha256 implements Checksum {
  private hash: ReturnType<typeof createHash>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: SourceData): void {
    this.hash.update(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): ReturnType<typeof createHash> {
    return this.secret === undefined
      ? createHash("sha256")
      : (createHmac("sha256", this.secret as string) as unknown as ReturnType<typeof createHash>);
  }
}

/**
 * GETs `url` signed with SigV4 for service `sqs`, as the AWS SDK signs: in
 * an `Authorization` header, or (`presign`) in the URL's query.
 */
export async function signedGet(
  url: string,
  credentials: TestCredentials,
  presign = false,
): Promise<Response> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: "sqs",
    region: "us-east-1",
    credentials,
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  target.searchParams.forEach((value, key) => (query[key] = value));
  const request = {
    method: "GET",
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host },
  };
  const signed = presign
    ? await signer.presign(request, { expiresIn: 300 })
    : await signer.sign(request);
  const signedUrl = new URL(target.pathname, target.origin);
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    signedUrl.searchParams.append(key, String(value));
  }
  const headers = { ...signed.headers };
  delete headers.host;
  return fetch(signedUrl, { headers });
}
