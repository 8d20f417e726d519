import { errors } from "../../engine/errors.ts";
import type { SqsError } from "../../engine/errors.ts";
import { setMapEntry } from "../../engine/map-entry.ts";
import { ignoredMembers } from "../shapes.ts";
import type { Member, Members, Shape } from "../shapes.ts";
import type { ParamNode } from "./query-params.ts";

/**
 * Reads an action's input out of Query parameters, by the same members
 * that check a JSON request: `QueueUrl=...`, flattened lists
 * (`AttributeName.1=All`), flattened maps (`Attribute.1.Name=DelaySeconds&
 * Attribute.1.Value=5`, `Tag.1.Key`), structures in lists
 * (`SendMessageBatchRequestEntry.2.DelaySeconds=5`) and message attribute
 * values (`MessageAttribute.1.Value.StringValue`). The result is the same
 * typed input the JSON protocol produces: integers and booleans parsed,
 * blobs decoded from base64, list items in index order. Unknown parameters
 * are ignored, as by SQS. Each members list is compiled once.
 */
export function queryInput(members: Members, root: ParamNode): Record<string, unknown> {
  let decode = compiled.get(members);
  if (decode === undefined) {
    decode = decodeMembers(members);
    compiled.set(members, decode);
  }
  return decode(root, "");
}

/** Reads the value at `node`; `path` is its Query name, for error texts. */
type Decode = (node: ParamNode, path: string) => unknown;
type DecodeStructure = (node: ParamNode, prefix: string) => Record<string, unknown>;

const compiled = new WeakMap<Members, DecodeStructure>();

interface Field {
  name: string;
  /** The parameter's name: the member's, or its flattened item name. */
  param: string;
  /** Other names the parameter is read under when `param` is absent. */
  aliases: readonly string[] | undefined;
  member: Member;
  decode: Decode;
  /** What MissingParameter names when the member is required and absent. */
  missingName: string;
}

function decodeMembers(members: Members): DecodeStructure {
  const fields: Field[] = Object.entries(members).map(([name, member]) => {
    const param = member.queryName ?? name;
    return {
      name,
      param,
      aliases: aliasesOf(name, member),
      member,
      decode: decoderOf(member.shape),
      missingName: param + firstItemSuffix(member.shape),
    };
  });
  const ignored = ignoredMembers(members, "query");
  return (node, prefix) => {
    const out: Record<string, unknown> = {};
    const children = node.children;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const found = children?.get(field.param) ?? aliased(children, field.aliases);
      // Only items of unread indexes (`Entry.0.Id`): unknown parameters, so absent.
      const child = found !== undefined && onlyUnreadItems(found) ? undefined : found;
      if (child === undefined) {
        if (field.member.required) throw errors.missingParameter(prefix + field.missingName);
        continue;
      }
      out[field.name] = field.decode(child, prefix + field.param);
    }
    for (const [name, beside] of ignored) if (out[beside] !== undefined) delete out[name];
    return out;
  };
}

/**
 * The other names a member is read under: its `queryAliases`, and for a
 * list with an item name of its own, the member's name. botocore writes an
 * empty list under the member's name (`Entries=` for a batch of none, where
 * the JS SDK writes `SendMessageBatchRequestEntry=`), and SQS answers it as
 * the empty list it is (EmptyBatchRequest, recorded against AWS by
 * LocalStack's test_send_message_batch_with_empty_list over both protocols).
 */
function aliasesOf(name: string, member: Member): readonly string[] | undefined {
  if (member.shape.type !== "list" || member.queryName === undefined) return member.queryAliases;
  return [...(member.queryAliases ?? []), name];
}

/** The parameter under the first of a member's other names that is present, if any. */
function aliased(
  children: ParamNode["children"],
  aliases: readonly string[] | undefined,
): ParamNode | undefined {
  if (aliases === undefined || children === undefined) return undefined;
  for (const alias of aliases) {
    const child = children.get(alias);
    if (child !== undefined) return child;
  }
  return undefined;
}

/**
 * A required list or map that is absent is reported by its first item's
 * first required part, as SQS does (`SendMessageBatchRequestEntry.1.Id`):
 * in the Query protocol an empty list cannot be told from a missing one.
 */
function firstItemSuffix(shape: Shape): string {
  if (shape.type === "map") return `.1.${shape.keyName}`;
  if (shape.type !== "list") return "";
  const item = shape.member;
  if (item.type !== "structure") return ".1";
  const first = Object.entries(item.members).find(([, member]) => member.required);
  return first === undefined ? ".1" : `.1.${first[1].queryName ?? first[0]}`;
}

function decoderOf(shape: Shape): Decode {
  switch (shape.type) {
    case "string":
      return scalar((text) => text);
    case "integer":
      return scalar(parseInteger);
    case "boolean":
      return scalar(parseBoolean);
    case "blob":
      return scalar(parseBlob);
    case "list": {
      const item = decoderOf(shape.member);
      return (node, path) =>
        items(node).map(([index, child]) => item(child, itemPath(path, index)));
    }
    case "map": {
      const value = decoderOf(shape.value);
      const { keyName, valueName } = shape;
      return (node, path) => {
        const out: Record<string, unknown> = {};
        for (const [index, entry] of items(node)) {
          const entryPath = itemPath(path, index);
          // An entry with no name has an empty one, which the engine refuses
          // in its own words, as SQS does (`MessageAttribute.1.Value...` alone).
          const key = entry.children?.get(keyName)?.value ?? "";
          const child = entry.children?.get(valueName);
          if (child === undefined) throw errors.missingParameter(`${entryPath}.${valueName}`);
          setMapEntry(out, key, value(child, `${entryPath}.${valueName}`));
        }
        return out;
      };
    }
    case "structure": {
      const decode = decodeMembers(shape.members);
      return (node, path) => decode(node, `${path}.`);
    }
  }
}

/**
 * The numbered items of a flattened list or map, in index order; other keys
 * are ignored. With no numbered item, the node itself is the one item, as
 * index 0 (unnumbered): the form of SQS's first API versions, which SQS
 * still reads and older clients still send (`AttributeName=All`,
 * `Attribute.Name=DelaySeconds&Attribute.Value=5`: Perl's
 * Amazon::SQS::Simple, Ruby's right_aws). An empty value with no parts
 * (`Entries=`) is how the AWS SDKs write an empty list: no item.
 */
function items(node: ParamNode): Array<[number, ParamNode]> {
  const found: Array<[number, ParamNode]> = [];
  if (node.children !== undefined) {
    for (const [key, child] of node.children) {
      if (INDEX.test(key)) found.push([Number(key), child]);
    }
  }
  if (found.length === 0) {
    return hasUnnumberedParts(node) || (node.value !== undefined && node.value !== "")
      ? [[UNNUMBERED, node]]
      : [];
  }
  return found.length > 1 ? found.sort((a, b) => a[0] - b[0]) : found;
}

/**
 * Whether the node has parts of its own (`Attribute.Name`), not only items
 * of indexes SQS does not read (`AttributeName.0`, `Attribute.01.Name`), which
 * are ignored as any unknown parameter is.
 */
function hasUnnumberedParts(node: ParamNode): boolean {
  if (node.children === undefined) return false;
  for (const key of node.children.keys()) if (!DIGITS.test(key)) return true;
  return false;
}

const DIGITS = /^[0-9]+$/;

/** Whether the node holds nothing but items of indexes SQS does not read. */
function onlyUnreadItems(node: ParamNode): boolean {
  if (node.value !== undefined || node.children === undefined || node.children.size === 0) {
    return false;
  }
  for (const key of node.children.keys()) if (!DIGITS.test(key) || INDEX.test(key)) return false;
  return true;
}

/** The item's own index, never a list's (INDEX starts at 1). */
const UNNUMBERED = 0;

/** An item's Query name, for error texts: `Entry.2`, or `Entry` when unnumbered. */
function itemPath(path: string, index: number): string {
  return index === UNNUMBERED ? path : `${path}.${index}`;
}

const INDEX = /^[1-9][0-9]{0,8}$/;

function scalar(parse: (text: string, path: string) => unknown): Decode {
  return (node, path) => {
    if (node.value === undefined) throw errors.missingParameter(path);
    return parse(node.value, path);
  };
}

const INTEGER = /^[+-]?[0-9]{1,15}$/;

function parseInteger(text: string, path: string): number {
  if (!INTEGER.test(text)) throw malformed(path, text, "an integer");
  return Number(text);
}

function parseBoolean(text: string, path: string): boolean {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw malformed(path, text, "a boolean");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseBlob(text: string, path: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw malformed(path, text, "base64 data");
  return new Uint8Array(Buffer.from(text, "base64"));
}

function malformed(path: string, text: string, expected: string): SqsError {
  return errors.invalidParameter(path, text, `Must be ${expected}.`);
}
