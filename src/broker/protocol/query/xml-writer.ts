import type { Members, Shape } from "../shapes.ts";
import { xmlText } from "./xml-text.ts";

/** The namespace of every SQS Query response. */
export const SQS_XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

/** Writes one action's whole XML response for an output and a request id. */
export type XmlWriter = (output: object, requestId: string) => string;

/** Writes a value as the content of its element. */
type WriteContent = (value: unknown) => string;

/**
 * The XML writer of an action's response, compiled once from its output
 * members: `<XResponse xmlns=...><XResult>...</XResult><ResponseMetadata>
 * <RequestId>...</RequestId></ResponseMetadata></XResponse>`, members in the
 * order they are declared (AWS's model order), absent ones left out, lists
 * and maps flattened under their `queryName`, map entries as
 * `<Name>`/`<Value>` (or the map's own names), blobs as base64. An action
 * without output members has no Result element, as in SQS.
 */
export function compileXmlWriter(action: string, output: Members): XmlWriter {
  const open = `<?xml version="1.0"?><${action}Response xmlns="${SQS_XML_NAMESPACE}">`;
  const close = `</${action}Response>`;
  if (Object.keys(output).length === 0) {
    return (_output, requestId) => `${open}${responseMetadata(requestId)}${close}`;
  }
  const writeResult = writeStructure(output);
  const resultOpen = `<${action}Result>`;
  const resultClose = `</${action}Result>`;
  const emptyResult = `<${action}Result/>`;
  return (value, requestId) => {
    const content = writeResult(value);
    const result = content === "" ? emptyResult : resultOpen + content + resultClose;
    return open + result + responseMetadata(requestId) + close;
  };
}

function responseMetadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
}

function contentOf(shape: Shape): WriteContent {
  switch (shape.type) {
    case "string":
      return shape.plain ? String : writeText;
    case "integer":
    case "boolean":
      return String;
    case "blob":
      return writeBlob;
    case "list":
    case "map":
      // Only members are lists or maps in SQS, and they are flattened (writeMember).
      throw new Error("a list or map must be a member of a structure");
    case "structure":
      return writeStructure(shape.members);
  }
}

function writeText(value: unknown): string {
  return xmlText(value as string);
}

function writeBlob(value: unknown): string {
  return Buffer.from(value as Uint8Array).toString("base64");
}

/** One member, as zero or more elements: once, or once per item of a flattened list or map. */
function writeMember(name: string, shape: Shape, queryName: string | undefined): WriteContent {
  const tag = queryName ?? name;
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  if (shape.type === "list") {
    const writeItem = contentOf(shape.member);
    return (value) => {
      const items = value as readonly unknown[];
      let text = "";
      for (let i = 0; i < items.length; i++) text += open + writeItem(items[i]) + close;
      return text;
    };
  }
  if (shape.type === "map") {
    const writeValue = contentOf(shape.value);
    const key = [`<${shape.keyName}>`, `</${shape.keyName}>`] as const;
    const val = [`<${shape.valueName}>`, `</${shape.valueName}>`] as const;
    return (value) => {
      const map = value as Record<string, unknown>;
      let text = "";
      for (const entry in map) {
        text += `${open}${key[0]}${xmlText(entry)}${key[1]}${val[0]}${writeValue(map[entry])}${val[1]}${close}`;
      }
      return text;
    };
  }
  const writeContent = contentOf(shape);
  return (value) => open + writeContent(value) + close;
}

function writeStructure(members: Members): WriteContent {
  const fields = Object.entries(members).map(([name, member]) => ({
    name,
    write: writeMember(name, member.shape, member.queryName),
  }));
  return (value) => {
    const record = value as Record<string, unknown>;
    let text = "";
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const item = record[field.name];
      if (item !== undefined && item !== null) text += field.write(item);
    }
    return text;
  };
}
