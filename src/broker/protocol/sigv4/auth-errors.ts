import { ProtocolError } from "../protocol-error.ts";

/*
 * AWS's own texts for SigV4 failures, one place. Where SQS's text was not
 * found, the text is that of another AWS "Coral" service, which share one
 * authentication front end: DynamoDB's as recorded by mhart/dynalite
 * (index.js, observed against AWS), and API Gateway's. Coral's
 * InvalidSignatureException is SQS's SignatureDoesNotMatch (the same
 * "Signature expired" and "Credential should be scoped" texts come back under
 * the one name from DynamoDB and SageMaker and the other from SQS).
 */

/**
 * No Authorization header and no `X-Amz-Algorithm` query parameter.
 * Text: dynalite index.js (DynamoDB); the same words from STS in
 * https://github.com/aws/aws-sdk-net/issues/681 and CloudFormation in
 * https://github.com/aws/aws-sdk-js/issues/4286.
 */
export function missingAuthenticationToken(): ProtocolError {
  return new ProtocolError("MissingAuthenticationToken", "Request is missing Authentication Token");
}

/**
 * The request is signed both ways. Text: dynalite index.js (DynamoDB,
 * InvalidSignatureException there).
 */
export function signedBothWays(): ProtocolError {
  return new ProtocolError(
    "SignatureDoesNotMatch",
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  );
}

/**
 * Parameters missing from the Authorization header (`missing` is
 * `Credential`, `Signature`, `SignedHeaders` and/or the date headers), the
 * header echoed at the end. Text: API Gateway in
 * https://github.com/aws/chalice/issues/828, and dynalite index.js.
 */
export function incompleteAuthorizationHeader(
  missing: readonly string[],
  noDate: boolean,
  authorization: string,
): ProtocolError {
  let message = "";
  for (const name of missing) message += `Authorization header requires '${name}' parameter. `;
  if (noDate) {
    message +=
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  return new ProtocolError("IncompleteSignature", `${message}Authorization=${authorization}`);
}

/** Presigned parameters missing from the query string. Text: dynalite index.js. */
export function incompletePresignedQuery(missing: readonly string[]): ProtocolError {
  let message = "";
  for (const name of missing) message += `AWS query-string parameters must include '${name}'. `;
  return new ProtocolError(
    "IncompleteSignature",
    `${message}Re-examine the query-string parameters.`,
  );
}

/** `X-Amz-Date` is not `YYYYMMDDTHHMMSSZ`. Text: dynalite index.js. */
export function badDateFormat(value: string): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

/**
 * A `Date` header (used when there is no `X-Amz-Date`) that is no HTTP date.
 * Our own text: AWS's for this case was not found.
 */
export function badDateHeader(value: string): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    `Date header must be an HTTP date (RFC 7231), e.g. 'Fri, 04 Dec 2026 10:15:00 GMT'. Got '${value}'.`,
  );
}

/**
 * Signed more than 15 minutes before the server's time. Text: SQS in
 * https://github.com/aws/aws-sdk-php/issues/642 (full XML) and
 * https://github.com/aws/aws-sdk-go/issues/487, sent as SignatureDoesNotMatch
 * (403), as the broker does; AWS's common-error table would have
 * RequestExpired (400), but SQS was recorded answering this.
 */
export function signatureExpired(signed: string, limit: string, now: string): ProtocolError {
  return new ProtocolError(
    "SignatureDoesNotMatch",
    `Signature expired: ${signed} is now earlier than ${limit} (${now} - 15 min.)`,
  );
}

/**
 * Signed more than 15 minutes after the server's time (SignatureDoesNotMatch,
 * like the stale case). Text: Kinesis in
 * https://github.com/aws-amplify/aws-sdk-android/issues/88 (with "5 min."),
 * and the IAM guide's signature-v4-troubleshooting page.
 */
export function signatureNotYetCurrent(signed: string, limit: string, now: string): ProtocolError {
  return new ProtocolError(
    "SignatureDoesNotMatch",
    `Signature not yet current: ${signed} is still later than ${limit} (${now} + 15 min.)`,
  );
}

/**
 * A presigned URL used after `X-Amz-Date + X-Amz-Expires`. S3's words
 * ("Request has expired", https://github.com/aws/aws-sdk-js/issues/3493),
 * with the times S3 puts in `<Expires>` and `<ServerTime>` written out.
 */
export function presignedUrlExpired(expiredAt: string, now: string): ProtocolError {
  return new ProtocolError(
    "RequestExpired",
    `Request has expired: the presigned URL expired at ${expiredAt}; server time ${now}.`,
  );
}

/**
 * `X-Amz-Expires` is not a whole number of seconds, or is negative. S3's texts
 * (its AuthorizationQueryParametersError), as kept by MinIO and other S3 servers.
 */
export function badExpires(value: string): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    /^-\d+$/.test(value)
      ? "X-Amz-Expires must be non-negative"
      : "X-Amz-Expires should be a number",
  );
}

/** `X-Amz-Expires` above a week (604800 s). S3's text (MinIO's error table). */
export function expiresTooLong(): ProtocolError {
  return new ProtocolError(
    "RequestExpired",
    "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
  );
}

/**
 * `host` is not among the signed headers. Text: dynalite index.js. AWS sends
 * it as InvalidSignatureException (SignatureDoesNotMatch on SQS); the broker
 * sends IncompleteSignature, as the header is malformed rather than forged.
 */
export function hostNotSigned(): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    "'Host' must be a 'SignedHeader' in the AWS Authorization.",
  );
}

/** An algorithm other than AWS4-HMAC-SHA256. Text: dynalite index.js. */
export function unsupportedAlgorithm(algorithm: string): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  );
}

/** A credential that is not `keyid/date/region/service/aws4_request`. Text: dynalite index.js. */
export function malformedCredential(credential: string): ProtocolError {
  return new ProtocolError(
    "IncompleteSignature",
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  );
}

/** The parts of a wrong credential scope, each one sentence. Texts: dynalite index.js. */
export const scopeProblems = {
  region: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  service: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  terminator: (terminator: string) =>
    `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
  date: (scopeDate: string, amzDate: string) =>
    `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
};

/**
 * A wrong credential scope: the problems of `scopeProblems`, joined as AWS
 * does. SQS's answer for a wrong service is SignatureDoesNotMatch with
 * "Credential should be scoped to correct service: 'sqs'. " (trailing space
 * included): SQS's XML response quoted in carbon/Amazon,
 * src/Amazon.Sqs/SqsClient.cs.
 */
export function wrongScope(problems: string): ProtocolError {
  return new ProtocolError("SignatureDoesNotMatch", problems);
}

/**
 * An access key the broker does not know. Text: SQS in
 * https://github.com/ex-aws/ex_aws/issues/220 (full XML).
 */
export function unknownAccessKey(): ProtocolError {
  return new ProtocolError(
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
  );
}

/**
 * The signature does not match. SQS's text, followed as SQS does by the
 * canonical request and string to sign it computed, so a client author can
 * diff them against theirs: https://github.com/boto/boto/issues/1573 (full
 * XML), and the IAM guide's signature-v4-troubleshooting page ("The error
 * response includes the canonical request and the string to sign").
 */
export function signatureDoesNotMatch(
  canonicalRequest: string,
  stringToSign: string,
): ProtocolError {
  return new ProtocolError(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. " +
      "Check your AWS Secret Access Key and signing method. " +
      "Consult the service documentation for details.\n\n" +
      `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${stringToSign}'\n`,
  );
}

/**
 * `x-amz-content-sha256` was signed but is not the body's hash (the body
 * changed on the way). S3's text (its XAmzContentSHA256Mismatch); SQS's was
 * not found.
 */
export function contentHashMismatch(): ProtocolError {
  return new ProtocolError(
    "SignatureDoesNotMatch",
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  );
}
