import { AwsClient } from "aws4fetch";
import { apiErrorOf, BrokerUnreachable } from "./api-error.ts";
import { storedCredentials } from "./session.ts";
import type { Credentials } from "./session.ts";

/** Dispatched on `window` when the broker refuses a request for want of a valid signature. */
export const AUTH_REQUIRED = "mailroom:auth-required";
let refused = false;

/** Whether the broker has refused one of the page's requests for want of a valid signature. */
export function credentialsRefused(): boolean {
  return refused;
}

/** Dispatched on `window` when the broker stops answering, and again when it answers again. */
export const BROKER_STATE = "mailroom:broker-state";
let unreachable = false;

/** Whether the page's last request found no broker to answer it. */
export function brokerUnreachable(): boolean {
  return unreachable;
}

function brokerAnswers(answered: boolean): void {
  if (unreachable !== answered) return;
  unreachable = !answered;
  dispatchEvent(new Event(BROKER_STATE));
}

let signer: { credentials: Credentials; client: AwsClient } | undefined;

/**
 * Sends a request to the broker on the page's own origin, signed with AWS
 * Signature Version 4 (aws4fetch, WebCrypto HMAC-SHA256) with `given` keys
 * or the session's, like any SDK client. Resolves with the body of a 2xx answer;
 * any other answer becomes an ApiError with AWS's code and message.
 */
export async function send(
  path: string,
  init: {
    method: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  },
  given?: Credentials,
): Promise<string> {
  const credentials = given ?? storedCredentials();
  const url = new URL(path, location.origin).href;
  let response: Response;
  try {
    response =
      credentials === undefined
        ? await fetch(url, init)
        : await clientFor(credentials).fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    brokerAnswers(false);
    throw new BrokerUnreachable(location.origin, error);
  }
  brokerAnswers(true);
  const text = await response.text();
  if (!response.ok) {
    const error = apiErrorOf(response.status, text);
    // The page's own calls (not a sign-in attempt) tell the frame to ask for keys.
    if (given === undefined && error.needsCredentials) {
      refused = true;
      dispatchEvent(new Event(AUTH_REQUIRED));
    }
    throw error;
  }
  return text;
}

function clientFor(credentials: Credentials): AwsClient {
  if (signer?.credentials !== credentials) {
    signer = {
      credentials,
      client: new AwsClient({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        region: credentials.region,
        service: "sqs",
        retries: 0,
      }),
    };
  }
  return signer.client;
}
