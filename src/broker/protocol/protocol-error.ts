/** Errors of the transport itself, before an action runs (unknown action, unreadable body...). */
export type ProtocolErrorCode =
  | "UnknownOperation"
  | "OperationNotFound"
  | "SerializationException"
  | "MissingAction"
  | "InvalidAction"
  | "RequestEntityTooLarge"
  | "InternalFailure"
  | "ServiceUnavailable"
  // A browser's request on behalf of another web page (browser-guard.ts)
  | "AccessDenied"
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

/** A request that names no operation: a GET of a queue URL without Action, a PUT... */
export function operationNotFound(): ProtocolError {
  return new ProtocolError("OperationNotFound", "No operation is named by this request.");
}
