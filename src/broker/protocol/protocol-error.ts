/** Errors of the transport itself, before an action runs (unknown action, unreadable body...). */
export type ProtocolErrorCode =
  | "UnknownOperation"
  | "SerializationException"
  | "ValidationError"
  | "MissingAction"
  | "InvalidAction"
  | "RequestEntityTooLarge"
  | "InternalFailure"
  | "ServiceUnavailable"
  // SigV4 authentication (see sigv4/)
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch"
  | "RequestExpired";

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
