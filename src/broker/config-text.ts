import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";
import type { Document } from "yaml";

/** Where a value sits in a file's data: keys of maps, indexes of lists. */
export type DataPath = readonly (string | number)[];

export interface ConfigTextOptions {
  /**
   * The maps whose plain scalar keys and values are read as written, as
   * strings: YAML would read `version: 1.10` as the number 1.1 and `zip:
   * 02134` as 2134. JSON keeps its numbers (write them quoted to keep the text).
   */
  keepsText?: (path: DataPath) => boolean;
}

/**
 * The data of a configuration file: JSON when `source` ends in `.json`, else
 * YAML. A syntax error, or a YAML warning (an unknown tag such as `!Ref`),
 * becomes one line, `<source>: not valid YAML: <what, where>`, made into the
 * caller's error type by `fail`. A UTF-8 byte-order mark is ignored; YAML
 * merge keys (`<<: *defaults`) are read.
 */
export function parseConfigText(
  text: string,
  source: string,
  fail: (message: string) => Error,
  options: ConfigTextOptions = {},
): unknown {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (source.toLowerCase().endsWith(".json")) {
    try {
      return JSON.parse(body);
    } catch (error) {
      throw fail(`${source}: not valid JSON: ${jsonReason(body, (error as Error).message)}`);
    }
  }
  const document = parseDocument(body, { prettyErrors: true, merge: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    // The YAML parser's first line ends with a colon before its excerpt of the file.
    const reason = problem.message.split("\n", 1)[0]!.replace(/:\s*$/, "");
    throw fail(`${source}: not valid YAML: ${reason}`);
  }
  if (options.keepsText) keepText(document, document.contents, [], options.keepsText);
  return document.toJS();
}

/** V8's reason without its excerpt of the file (which may span lines), with a line and column. */
function jsonReason(text: string, message: string): string {
  const reason = message.replace(/, ".*" is not valid JSON$/s, "");
  const at = /(?: in JSON)? at position (\d+)$/.exec(reason);
  if (!at) return reason;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${reason.slice(0, at.index)} at line ${line}, column ${column}`;
}

/** Turns the plain scalars of the maps `keeps` names into their source text, in place. */
function keepText(
  document: Document,
  node: unknown,
  path: DataPath,
  keeps: (path: DataPath) => boolean,
): void {
  const target = isAlias(node) ? node.resolve(document) : node;
  if (isSeq(target)) {
    target.items.forEach((item, i) => keepText(document, item, [...path, i], keeps));
  } else if (isMap(target)) {
    const asText = keeps(path);
    for (const pair of target.items) {
      if (!isPair(pair)) continue;
      if (asText) {
        textOf(pair.key);
        textOf(isAlias(pair.value) ? pair.value.resolve(document) : pair.value);
      }
      // A merge key (`<<: *defaults`) brings its map's entries into this one.
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      keepText(document, pair.value, key === "<<" ? path : [...path, key], keeps);
    }
  }
}

/** A plain scalar read as a number, boolean or date becomes the text written; null stays null. */
function textOf(node: unknown): void {
  if (
    isScalar(node) &&
    node.type === "PLAIN" &&
    node.value !== null &&
    typeof node.value !== "string" &&
    node.source !== undefined
  ) {
    node.value = node.source;
  }
}
