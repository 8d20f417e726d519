import type { SqsError } from "../../engine/errors.ts";
import { actions } from "../actions/index.ts";
import { errorTable } from "../error-table.ts";
import { operationNotFound, ProtocolError } from "../protocol-error.ts";
import type { WireProtocol, WireResponse } from "../wire-protocol.ts";
import { queryInput } from "./query-input.ts";
import { parseQueryParams, topLevelParam } from "./query-params.ts";
import type { ParamNode } from "./query-params.ts";
import { xmlText } from "./xml-text.ts";
import { compileXmlWriter, SQS_XML_NAMESPACE } from "./xml-writer.ts";
import type { XmlWriter } from "./xml-writer.ts";

const XML_CONTENT_TYPE = "text/xml";
const ONLY_SLASHES = /^\/+$/;

/** Actions SQS refuses on a queue URL (InvalidAction); GetQueueUrl and the rest are accepted there. */
const ACCOUNT_ACTIONS: ReadonlySet<string> = new Set(["CreateQueue", "ListQueues"]);

/** Every action's XML writer, compiled once from its output members. */
const xmlWriters: ReadonlyMap<string, XmlWriter> = new Map(
  [...actions.values()].map((action) => [
    action.name,
    compileXmlWriter(action.name, action.output),
  ]),
);

/**
 * The AWS Query protocol: form parameters `Action=SendMessage&Version=
 * 2012-11-05&QueueUrl=...` in a POST body or a GET query string, answered
 * in XML. Older SDKs post to the queue URL itself and leave `QueueUrl`
 * out: the request path then names the queue.
 */
export const queryProtocol: WireProtocol = {
  name: "query",
  methods: ["POST", "GET"],

  run(request, context, requestId) {
    const params =
      request.method === "GET"
        ? parseQueryParams(request.query)
        : parseQueryParams(request.query, request.body.toString("utf8"));
    const name = topLevelParam(params, "Action");
    if (name === undefined || name === "") {
      // SQS answers a GET without Action (a queue URL opened in a browser) with a bare 404.
      if (request.method !== "POST") throw operationNotFound();
      throw new ProtocolError("MissingAction", "The request must contain the parameter Action.");
    }
    const action = actions.get(name);
    if (action === undefined) throw invalidAction(name);
    // `//`: an endpoint configured with a trailing slash (PHP's async-aws sends that).
    if (request.path !== "/" && !ONLY_SLASHES.test(request.path)) {
      // Posted to a queue URL: the path names the queue, and the account's
      // own actions do not belong there (both as recorded against SQS).
      if (ACCOUNT_ACTIONS.has(name)) throw invalidAction(name);
      if (action.input.QueueUrl !== undefined) {
        setDefault(params, "QueueUrl", context.queueUrlAt(request.path));
      }
    }
    const output = action.run(context, queryInput(action.input, params));
    const write = xmlWriters.get(name)!;
    return output instanceof Promise
      ? output.then((value) => write(value, requestId))
      : write(output, requestId);
  },

  success(body, requestId) {
    return xmlResponse(200, requestId, body);
  },

  error(error: SqsError | ProtocolError, requestId: string): WireResponse {
    const wire = errorTable[error.code];
    if (error.code === "OperationNotFound") {
      return xmlResponse(wire.status, requestId, "<UnknownOperationException/>");
    }
    const message = wire.queryMessage ?? error.message;
    return xmlResponse(
      wire.status,
      requestId,
      `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XML_NAMESPACE}"><Error>` +
        `<Type>${wire.fault}</Type><Code>${wire.queryCode}</Code>` +
        `<Message>${xmlText(message)}</Message><Detail/></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  },
};

function xmlResponse(status: number, requestId: string, body: string): WireResponse {
  return {
    status,
    headers: { "content-type": XML_CONTENT_TYPE, "x-amzn-requestid": requestId },
    body,
  };
}

function invalidAction(name: string): ProtocolError {
  return new ProtocolError("InvalidAction", `The action ${name} is not valid for this endpoint.`);
}

function setDefault(params: ParamNode, name: string, value: string): void {
  params.children ??= new Map();
  if (!params.children.get(name)?.value) {
    params.children.set(name, { value, children: undefined });
  }
}
