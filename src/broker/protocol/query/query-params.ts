/**
 * The parameters of a Query request as a tree: `MessageAttribute.1.Value.DataType=String`
 * becomes root → MessageAttribute → 1 → Value → DataType = "String", so the
 * input decoder (query-input.ts) walks it by shape instead of scanning
 * every key for each member.
 */
export interface ParamNode {
  value: string | undefined;
  children: Map<string, ParamNode> | undefined;
}

/**
 * Parses `application/x-www-form-urlencoded` text (a POST body or a GET
 * query string) into a tree. Later occurrences of a key replace earlier
 * ones. `+` is a space and `%XX` a byte of UTF-8, as in any form.
 */
export function parseQueryParams(...sources: readonly string[]): ParamNode {
  const root: ParamNode = { value: undefined, children: new Map() };
  for (const source of sources) {
    if (source === "") continue;
    for (const [key, value] of new URLSearchParams(source)) insert(root, key, value);
  }
  return root;
}

function insert(root: ParamNode, key: string, value: string): void {
  let node = root;
  let start = 0;
  for (;;) {
    const dot = key.indexOf(".", start);
    const part = dot < 0 ? key.slice(start) : key.slice(start, dot);
    node.children ??= new Map();
    let child = node.children.get(part);
    if (child === undefined) {
      child = { value: undefined, children: undefined };
      node.children.set(part, child);
    }
    node = child;
    if (dot < 0) break;
    start = dot + 1;
  }
  node.value = value;
}

/** A top-level parameter's value (`Action`, `Version`, `QueueUrl`). */
export function topLevelParam(root: ParamNode, name: string): string | undefined {
  return root.children?.get(name)?.value;
}
