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
 *
 * By hand rather than with URLSearchParams: most keys and values need no
 * decoding at all, and a 10-entry SendMessageBatch is read in about a third
 * of the time (measured 15 µs against 5). Malformed escapes are read as
 * URLSearchParams reads them.
 */
export function parseQueryParams(...sources: readonly string[]): ParamNode {
  const tree = new ParamTree();
  for (const source of sources) {
    let start = 0;
    while (start < source.length) {
      let end = source.indexOf("&", start);
      if (end < 0) end = source.length;
      if (end > start) {
        const equals = source.indexOf("=", start);
        const keyEnd = equals >= 0 && equals < end ? equals : end;
        const value = keyEnd < end ? decodeFormText(source.slice(keyEnd + 1, end)) : "";
        tree.insert(decodeFormText(source.slice(start, keyEnd)), value);
      }
      start = end + 1;
    }
  }
  return tree.root;
}

function decodeFormText(text: string): string {
  if (text.indexOf("%") < 0 && text.indexOf("+") < 0) return text;
  try {
    return decodeURIComponent(text.includes("+") ? text.replaceAll("+", " ") : text);
  } catch {
    // A stray `%` or bytes that are not UTF-8: keep what URLSearchParams keeps.
    return new URLSearchParams(`x=${text}`).get("x") ?? "";
  }
}

/**
 * Builds the tree one key at a time. Clients write the parts of one item
 * together (`Entry.1.Id`, `Entry.1.MessageBody`, ...), so the node of the
 * previous key's prefix is kept and reused when the next key shares it.
 */
class ParamTree {
  readonly root: ParamNode = { value: undefined, children: new Map() };
  private lastPrefix = "";
  private lastParent: ParamNode = this.root;

  insert(key: string, value: string): void {
    const lastDot = key.lastIndexOf(".");
    if (lastDot > 0 && key.length - lastDot > 1 && key.startsWith(this.lastPrefix)) {
      if (this.lastPrefix.length === lastDot + 1) {
        childOf(this.lastParent, key.slice(lastDot + 1)).value = value;
        return;
      }
    }
    let node = this.root;
    let start = 0;
    for (;;) {
      const dot = key.indexOf(".", start);
      if (dot < 0) {
        childOf(node, key.slice(start)).value = value;
        break;
      }
      node = childOf(node, key.slice(start, dot));
      start = dot + 1;
    }
    if (start > 0) {
      this.lastPrefix = key.slice(0, start);
      this.lastParent = node;
    }
  }
}

function childOf(node: ParamNode, part: string): ParamNode {
  node.children ??= new Map();
  let child = node.children.get(part);
  if (child === undefined) {
    child = { value: undefined, children: undefined };
    node.children.set(part, child);
  }
  return child;
}

/** A top-level parameter's value (`Action`, `Version`, `QueueUrl`). */
export function topLevelParam(root: ParamNode, name: string): string | undefined {
  return root.children?.get(name)?.value;
}
