import { parseAmzDate } from "./amz-date.ts";
import {
  badDateFormat,
  contentHashMismatch,
  hostNotSigned,
  missingAuthenticationToken,
  signatureDoesNotMatch,
  signedBothWays,
  unsupportedAlgorithm,
} from "./auth-errors.ts";
import { readAuthorizationHeader } from "./authorization-header.ts";
import { canonicalHeaders } from "./canonical-headers.ts";
import { canonicalQuery } from "./canonical-query.ts";
import { ALGORITHM, canonicalRequest, sha256Hex, stringToSign } from "./canonical-request.ts";
import type { CanonicalParts } from "./canonical-request.ts";
import { canonicalUri } from "./canonical-uri.ts";
import { readPresignedQuery } from "./presigned-query.ts";
import { parseQuery, queryValue } from "./query-pairs.ts";
import type { QueryParam } from "./query-pairs.ts";
import { checkFreshness } from "./request-freshness.ts";
import type { SignatureFields } from "./signature-fields.ts";
import { ScopedKeys } from "./scoped-keys.ts";
import type { ScopedKey } from "./scoped-keys.ts";
import type { Credential, SignedRequest, VerifiedCaller } from "./signed-request.ts";
import { SignedHeaderLists } from "./signed-header-lists.ts";
import type { SignedHeaderList } from "./signed-header-lists.ts";
import type { SigningKey } from "./signing-key.ts";

const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const NO_PARAMS: readonly QueryParam[] = [];

export interface SigV4VerifierOptions {
  /** The access keys accepted; each access key id once. */
  credentials: readonly Credential[];
  /** The server's clock, in ms since the epoch. */
  now: () => number;
  /** The service credentials must be scoped to. Default `sqs`. */
  service?: string;
}

/**
 * Verifies AWS Signature Version 4 on incoming requests, in the
 * `Authorization` header or as a presigned URL's query parameters. Pure: no
 * I/O, time from `now`.
 *
 * Checks run in the order AWS was observed to run them (mhart/dynalite
 * records it), so a request with several faults gets AWS's error: both forms
 * or neither; missing parts; the date's format; its age; `host` signed; the
 * algorithm; the credential's shape and scope; the access key; the signature.
 *
 * Session tokens (`X-Amz-Security-Token`) are not checked: the broker issues
 * none, and a client on temporary credentials still signs with a key pair
 * that the broker either knows or does not.
 */
export class SigV4Verifier {
  private readonly now: () => number;
  private readonly keys: ScopedKeys;
  private readonly headerLists = new SignedHeaderLists();

  /** @throws Error when an access key id is listed twice. */
  constructor(options: SigV4VerifierOptions) {
    this.now = options.now;
    this.keys = new ScopedKeys(options.credentials, options.service ?? "sqs");
  }

  /**
   * Returns the caller that signed `request`.
   *
   * @throws ProtocolError MissingAuthenticationToken, IncompleteSignature,
   *   RequestExpired, InvalidClientTokenId or SignatureDoesNotMatch, with
   *   AWS's texts (see auth-errors.ts).
   */
  verify(request: SignedRequest): VerifiedCaller {
    const { headers } = request;
    const authorization = headers.authorization;
    const params = request.query === "" ? NO_PARAMS : parseQuery(request.query);
    const presigned = params !== NO_PARAMS && queryValue(params, "X-Amz-Algorithm") !== undefined;
    if (authorization && presigned) throw signedBothWays();
    if (!authorization && !presigned) throw missingAuthenticationToken();
    const fields = authorization
      ? readAuthorizationHeader(authorization, headers)
      : readPresignedQuery(params);

    const signedAt = parseAmzDate(fields.amzDate);
    if (signedAt === undefined) throw badDateFormat(fields.amzDate);
    checkFreshness(signedAt, fields.amzDate, fields.expires, this.now());
    const signedHeaders = this.headerLists.read(fields.signedHeaders);
    if (!signedHeaders.hasHost) throw hostNotSigned();
    if (fields.algorithm !== ALGORITHM) throw unsupportedAlgorithm(fields.algorithm);
    const scoped = this.keys.forRequest(fields.credential, fields.amzDate);

    checkSignature(request, params, fields, signedHeaders, scoped);
    const { accessKeyId, accountId } = scoped.credential;
    return { accessKeyId, accountId };
  }
}

/** Recomputes the signature of a request whose signature fields passed every other check. */
function checkSignature(
  request: SignedRequest,
  params: readonly QueryParam[],
  fields: SignatureFields,
  signedHeaders: SignedHeaderList,
  { scope, key }: ScopedKey,
): void {
  const declaredHash = headerValue(request.headers["x-amz-content-sha256"]);
  const parts: CanonicalParts = {
    method: request.method,
    uri: canonicalUri(request.path),
    query: canonicalQuery(params),
    headers: canonicalHeaders(signedHeaders.names, request.headers, request.rawHeaders),
    signedHeaders: signedHeaders.line,
    payloadHash: declaredHash ?? sha256Hex(request.body),
  };
  const canonical = canonicalRequest(parts);
  const toSign = stringToSign(fields.amzDate, scope.scope, canonical);
  if (!signatureMatches(key, toSign, fields.signature)) {
    throw signatureDoesNotMatch(canonical, toSign);
  }
  // The signature covers the declared hash, not the body: check they agree.
  if (
    declaredHash !== undefined &&
    declaredHash !== UNSIGNED_PAYLOAD &&
    declaredHash !== sha256Hex(request.body)
  ) {
    throw contentHashMismatch();
  }
}

/** HMAC of the string to sign, compared in constant time with the signature sent. */
function signatureMatches(signingKey: SigningKey, toSign: string, provided: string): boolean {
  return equalInConstantTime(signingKey.sign(toSign), provided);
}

/**
 * Whether two strings are equal, in a time that depends on their length
 * only, not on where they first differ (so a guessed signature learns
 * nothing from the answer's timing). In JavaScript: two Buffers for
 * `crypto.timingSafeEqual` cost more than the whole comparison.
 */
function equalInConstantTime(expected: string, provided: string): boolean {
  if (provided.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  }
  return difference === 0;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : value?.[0];
}
