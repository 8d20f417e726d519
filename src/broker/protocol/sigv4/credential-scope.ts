import { malformedCredential, scopeProblems, wrongScope } from "./auth-errors.ts";

/** The parts of `Credential=AKID/20261204/us-east-1/sqs/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  /** `20261204/us-east-1/sqs/aws4_request`, as it goes into the string to sign. */
  scope: string;
}

/**
 * Splits a credential into its five parts and checks the scope against the
 * request: the service must be ours, the terminator `aws4_request`, the date
 * that of `X-Amz-Date`.
 *
 * Any non-empty region is accepted, and the signature is then checked with
 * the region the client signed for. AWS rejects a region other than the
 * endpoint's, but a local broker has no region of its own to insist on: users
 * point SDKs configured for eu-west-2 or ap-southeast-2 at it, and a signature
 * made with the right secret proves the same whatever the region.
 *
 * @throws ProtocolError IncompleteSignature when there are not five parts,
 *   SignatureDoesNotMatch when the scope is wrong (as SQS answers).
 */
export function readCredentialScope(
  credential: string,
  amzDate: string,
  service: string,
): CredentialScope {
  // AWS ignores trailing slashes (dynalite's observation).
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 0x2f) end--;
  const parts = credential.slice(0, end).split("/");
  if (parts.length !== 5) throw malformedCredential(credential);
  const [accessKeyId, date, region, scopeService, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  let problems = "";
  if (region === "") problems += scopeProblems.region(region);
  if (scopeService !== service) problems += scopeProblems.service(service);
  if (terminator !== "aws4_request") problems += scopeProblems.terminator(terminator);
  if (date !== amzDate.slice(0, 8)) problems += scopeProblems.date(date, amzDate);
  if (problems !== "") throw wrongScope(problems);
  return {
    accessKeyId,
    date,
    region,
    service,
    scope: credential.slice(accessKeyId.length + 1, end),
  };
}
