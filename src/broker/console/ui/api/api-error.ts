/** An error the broker answered, with AWS's code and message. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** The broker wants signed requests (`--auth sigv4`) and this one was not, or not well. */
  get needsCredentials(): boolean {
    return (
      this.code === "MissingAuthenticationToken" ||
      this.code === "InvalidClientTokenId" ||
      this.code === "SignatureDoesNotMatch"
    );
  }
}

/**
 * The broker did not answer at all (stopped, or the network is down): one
 * plain sentence, the browser's own error kept as the cause. The console's
 * frame says it once, in a banner, however many of the page's requests fail.
 */
export class BrokerUnreachable extends Error {
  override readonly name = "BrokerUnreachable";
  constructor(origin: string, cause: unknown) {
    super(unreachableMessage(origin), { cause });
  }
}

export function unreachableMessage(origin: string): string {
  return `The broker at ${origin} did not answer; is it running?`;
}

/** Reads an error body of either wire protocol into an ApiError. */
export function apiErrorOf(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
    const code = (body.__type ?? "").split("#").pop() || `HTTP ${status}`;
    return new ApiError(code, body.message ?? body.Message ?? text, status);
  } catch {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? (text || "no answer");
    return new ApiError(code, message, status);
  }
}
