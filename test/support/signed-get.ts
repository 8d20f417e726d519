import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "./sdk-sha256.ts";

/** An access key pair, as the broker's `--auth sigv4` credentials. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
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
