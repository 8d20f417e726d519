/**
 * Input shapes as data: each action declares its members once, and one
 * generic checker (check-input.ts) applies them, whatever the wire protocol.
 * The JSON protocol delivers typed values; the Query protocol delivers
 * strings that the same shapes say how to read.
 */
export type Shape =
  | { type: "string" }
  | { type: "integer" }
  | { type: "boolean" }
  | { type: "blob" }
  | { type: "list"; member: Shape; queryName?: string }
  | { type: "map"; value: Shape; queryKey?: string; queryValue?: string }
  | { type: "structure"; members: Members };

export interface Member {
  shape: Shape;
  required?: boolean;
  /** Name of the member in the Query protocol when it differs (flattened lists). */
  queryName?: string;
}

export type Members = Record<string, Member>;

export const string: Shape = { type: "string" };
export const integer: Shape = { type: "integer" };
export const boolean: Shape = { type: "boolean" };
export const blob: Shape = { type: "blob" };
export const stringList: Shape = { type: "list", member: string };
export const stringMap: Shape = { type: "map", value: string };

export const required = (shape: Shape, queryName?: string): Member => ({
  shape,
  required: true,
  queryName,
});
export const optional = (shape: Shape, queryName?: string): Member => ({ shape, queryName });

export const messageAttributeValue: Shape = {
  type: "structure",
  members: {
    DataType: required(string),
    StringValue: optional(string),
    BinaryValue: optional(blob),
    StringListValues: optional(stringList),
    BinaryListValues: optional({ type: "list", member: blob }),
  },
};

export const messageAttributeMap: Shape = {
  type: "map",
  value: messageAttributeValue,
  queryKey: "Name",
  queryValue: "Value",
};
