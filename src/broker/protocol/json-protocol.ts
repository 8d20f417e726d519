import { SqsError } from "../engine/errors.ts";
import type { ActionContext } from "./action.ts";
import { actions } from "./actions/index.ts";
import { checkInput } from "./check-input.ts";
import { errorTable } from "./error-table.ts";
import { ProtocolError } from "./protocol-error.ts";

/** A response ready to write: status, headers and body. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
const TARGET_PREFIX = "AmazonSQS.";

/**
 * The AWS JSON 1.0 protocol: `X-Amz-Target: AmazonSQS.<Action>` and a JSON
 * body with the API's member names. Runs the action and returns its output
 * as JSON text, or throws SqsError/ProtocolError for the caller to encode.
 */
export function runJsonAction(
  target: string,
  body: Buffer,
  context: ActionContext,
): string | Promise<string> {
  const action = target.startsWith(TARGET_PREFIX)
    ? actions.get(target.slice(TARGET_PREFIX.length))
    : undefined;
  if (!action) {
    throw new ProtocolError("UnknownOperation", `Operation ${target} is not supported.`);
  }
  const output = action.run(context, checkInput(action.input, parseBody(body)));
  const write = action.writeJson ?? stringify;
  return output instanceof Promise ? output.then(write) : write(output);
}

function stringify(output: object): string {
  return JSON.stringify(output);
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProtocolError("SerializationException", "The request body is not valid JSON.");
  }
}

export function jsonSuccess(body: string, requestId: string): WireResponse {
  return {
    status: 200,
    headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId },
    body,
  };
}

/** An error as the JSON protocol reports it, with the Query code in `x-amzn-query-error`. */
export function jsonError(error: SqsError | ProtocolError, requestId: string): WireResponse {
  const wire = errorTable[error.code];
  return {
    status: wire.status,
    headers: {
      "content-type": JSON_CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-query-error": `${wire.queryCode};${wire.fault}`,
    },
    body: JSON.stringify({ __type: wire.jsonType, message: error.message }),
  };
}

export function isWireError(error: unknown): error is SqsError | ProtocolError {
  return error instanceof SqsError || error instanceof ProtocolError;
}
