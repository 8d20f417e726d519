import { isUtf8 } from "node:buffer";
import { SqsError } from "../../engine/errors.ts";
import { actions } from "../actions/index.ts";
import { errorTable } from "../error-table.ts";
import { ProtocolError } from "../protocol-error.ts";
import type { WireProtocol, WireResponse } from "../wire-protocol.ts";
import { checkInput } from "./json-input.ts";
import { jsonWriterOf } from "./json-writer.ts";
import {
  JsonTooDeepError,
  JsonTooWideError,
  MAX_JSON_NESTING,
  MAX_JSON_VALUES,
  parseClientJson,
} from "../../engine/json-nesting.ts";

const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
const TARGET_PREFIX = "AmazonSQS.";

/**
 * The AWS JSON 1.0 protocol: `X-Amz-Target: AmazonSQS.<Action>` and a JSON
 * body with the API's member names; errors as `{"__type", "message"}` with
 * the Query code in `x-amzn-query-error`, which SDKs report as the code.
 */
export const jsonProtocol: WireProtocol = {
  name: "json",
  methods: ["POST"],

  run(request, context) {
    const target = request.headers["x-amz-target"];
    const action =
      typeof target === "string" && target.startsWith(TARGET_PREFIX)
        ? actions.get(target.slice(TARGET_PREFIX.length))
        : undefined;
    if (!action) {
      throw new ProtocolError("UnknownOperation", `Operation ${String(target)} is not supported.`);
    }
    const output = action.run(context, checkInput(action.input, parseBody(request.body)));
    const write = jsonWriterOf(action.output);
    return output instanceof Promise ? output.then(write) : write(output);
  },

  success(body, requestId) {
    return {
      status: 200,
      headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId },
      body,
    };
  },

  error(error: SqsError | ProtocolError, requestId: string): WireResponse {
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
  },
};

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  // JSON is UTF-8 (RFC 8259): other bytes would be read as U+FFFD and
  // stored as a message other than the one sent.
  if (!isUtf8(body)) {
    throw new ProtocolError("SerializationException", "The request body is not valid UTF-8.");
  }
  try {
    return parseClientJson(body.toString("utf8"));
  } catch (error) {
    // As the Query protocol refuses a form of more than 10,000 parameters.
    if (error instanceof JsonTooWideError) {
      throw new SqsError(
        "InvalidParameterValue",
        `A request can have at most ${MAX_JSON_VALUES} values (object members and array items); this one has more.`,
      );
    }
    const message =
      error instanceof JsonTooDeepError
        ? `The request body nests arrays and objects more than ${MAX_JSON_NESTING} levels deep.`
        : "The request body is not valid JSON.";
    throw new ProtocolError("SerializationException", message);
  }
}
