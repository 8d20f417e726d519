const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;

/**
 * RFC 3986 percent-encoding as SigV4 wants it: every byte but the unreserved
 * `A-Z a-z 0-9 - _ . ~` is encoded as UTF-8, hex in upper case. This is
 * `escapeUri` of @smithy (the AWS SDK's signer): `encodeURIComponent` leaves
 * `! ' ( ) *` alone, SigV4 does not.
 */
export function uriEscape(text: string): string {
  if (UNRESERVED_ONLY.test(text)) return text;
  return encodeURIComponent(text).replace(/[!'()*]/g, hexEncode);
}

function hexEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}
