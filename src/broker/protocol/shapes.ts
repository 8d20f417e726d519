/**
 * Shapes as data: each action declares its input and output members once,
 * and everything that reads or writes them is derived from that description,
 * whatever the wire protocol:
 *
 * - JSON input: one generic checker (json/json-input.ts) applies the shapes
 *   to the decoded body;
 * - Query input: the same shapes say how to read the form parameters
 *   (query/query-input.ts), flattened lists and maps included;
 * - output: one JSON writer and one XML writer per action, compiled from the
 *   output members (json/json-writer.ts, query/xml-writer.ts).
 *
 * Members are listed in the order SQS writes them in XML: AWS's model
 * order, except where responses recorded from SQS show another.
 *
 * The vocabulary is the part of Smithy's that SQS uses. SQS names every list
 * and map "flattened" in its Query/XML form (`Attribute.1.Name=...` in,
 * `<Attribute><Name>...</Name><Value>...</Value></Attribute>` out), so a
 * member's `queryName` names one item of it, and there is no `member` wrapper.
 */
export type Shape =
  | {
      type: "string";
      /**
       * Output only: a value the broker made, in an alphabet that needs no
       * escaping in JSON or XML (message ids, digests, receipt handles,
       * sequence numbers, checked batch entry ids), so the writers skip the
       * scan for characters to escape.
       */
      plain?: true;
    }
  | { type: "integer" }
  | { type: "boolean" }
  | { type: "blob" }
  | { type: "list"; member: Shape }
  | {
      type: "map";
      value: Shape;
      /** Name of an entry's key in Query parameters and XML: `Name` (attributes) or `Key` (tags). */
      keyName: string;
      /** Name of an entry's value in Query parameters and XML: `Value`. */
      valueName: string;
    }
  | { type: "structure"; members: Members };

export interface Member {
  shape: Shape;
  required?: boolean;
  /**
   * Name of one item of a list or map member in the Query protocol and in
   * XML, when it differs from the member's name (`AttributeNames` is
   * `AttributeName.1`, `AttributeName.2`...; `Messages` is `<Message>`...).
   */
  queryName?: string;
  /**
   * Other names a client may give the member in the Query protocol, read
   * when `queryName` is absent. The Java SDK v1 (and the Android SDK, made by
   * the same generator) sends TagQueue's tags as `Tags.1.Key` rather than
   * the model's `Tag.1.Key`; those SDKs work against SQS, so SQS takes both.
   */
  queryAliases?: readonly string[];
  /**
   * Another member that, when a request of that protocol gives it too, makes
   * SQS ignore this one: ReceiveMessage's deprecated `AttributeNames` and
   * its `MessageSystemAttributeNames` given together count one list only,
   * which list depending on the protocol. The reader drops the ignored one,
   * so the action still sees one typed input.
   */
  ignoredBeside?: { json?: string; query?: string };
}

export type Members = Readonly<Record<string, Member>>;

export const string: Shape = { type: "string" };
export const plainString: Shape = { type: "string", plain: true };
export const integer: Shape = { type: "integer" };
export const boolean: Shape = { type: "boolean" };
export const blob: Shape = { type: "blob" };
export const stringList: Shape = { type: "list", member: string };
/** Queue and system attributes: `Attribute.1.Name` / `Attribute.1.Value`. */
export const stringMap: Shape = { type: "map", value: string, keyName: "Name", valueName: "Value" };
/** Tags: `Tag.1.Key` / `Tag.1.Value`. */
export const tagMap: Shape = { type: "map", value: string, keyName: "Key", valueName: "Value" };

export const required = (
  shape: Shape,
  queryName?: string,
  queryAliases?: readonly string[],
): Member => ({
  shape,
  required: true,
  ...(queryName === undefined ? {} : { queryName }),
  ...(queryAliases === undefined ? {} : { queryAliases }),
});
export const optional = (shape: Shape, queryName?: string): Member =>
  queryName === undefined ? { shape } : { shape, queryName };

/** A member SQS ignores, in the protocols named, when the request gives the member named there too. */
export const ignoredBeside = (
  member: Member,
  ignoredBeside: NonNullable<Member["ignoredBeside"]>,
): Member => ({ ...member, ignoredBeside });

/** [member, the member beside which it is ignored] pairs of `protocol`. */
export function ignoredMembers(
  members: Members,
  protocol: "json" | "query",
): Array<[name: string, beside: string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, member] of Object.entries(members)) {
    const beside = member.ignoredBeside?.[protocol];
    if (beside !== undefined) pairs.push([name, beside]);
  }
  return pairs;
}

export const structure = (members: Members): Shape => ({ type: "structure", members });
export const listOf = (member: Shape): Shape => ({ type: "list", member });

/** A message attribute's value, in the order of AWS's model. */
export const messageAttributeValue: Shape = structure({
  StringValue: optional(string),
  BinaryValue: optional(blob),
  StringListValues: optional(stringList, "StringListValue"),
  BinaryListValues: optional(listOf(blob), "BinaryListValue"),
  DataType: required(string),
});

export const messageAttributeMap: Shape = {
  type: "map",
  value: messageAttributeValue,
  keyName: "Name",
  valueName: "Value",
};

/** `Failed` entries of every batch action. */
export const batchResultErrorEntry: Shape = structure({
  Id: required(plainString),
  SenderFault: required(boolean),
  Code: required(string),
  Message: optional(string),
});
