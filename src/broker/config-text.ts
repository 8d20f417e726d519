import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { Alias } from "yaml";

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
 * How many times aliases may be used, as yaml counts them (an alias of a map
 * holding aliases counts as many as it holds). yaml's default, 100, refuses
 * a file of 50 queues each merging `<<: *defaults`; this bound still
 * refuses an alias bomb (aliases of lists of aliases) long before its
 * expansion costs much.
 */
const MAX_ALIAS_COUNT = 100_000;

/**
 * Values (maps, lists, scalars) the data may hold with every alias written
 * out: far more than any list of queues needs, few enough for a walk of
 * them, here or by the caller, to take well under a second.
 */
const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * The data of a configuration file: JSON when `source` ends in `.json`, else
 * YAML. A syntax error, or a YAML warning (an unknown tag such as `!Ref`),
 * becomes one line, `<source>: not valid YAML: <what, where>`, made into the
 * caller's error type by `fail`. A UTF-8 byte-order mark is ignored; YAML
 * merge keys (`<<: *defaults`) are read. A YAML file whose aliases expand to
 * too much (MAX_ALIAS_COUNT, MAX_EXPANDED_VALUES) is refused the same way.
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
  const walk: TextWalk = {
    targets: aliasTargets(document),
    keeps: options.keepsText ?? (() => false),
    budget: MAX_EXPANDED_VALUES,
  };
  if (!keepText(walk, document.contents, [])) {
    throw fail(
      `${source}: not valid YAML: its aliases expand to more than ${MAX_EXPANDED_VALUES.toLocaleString("en-US")} values`,
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml's ReferenceErrors: an alias used too often, or one without its anchor.
    throw fail(`${source}: not valid YAML: ${(error as Error).message}`);
  }
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

/** A walk of the data with every alias written out, at most `budget` values long. */
interface TextWalk {
  readonly targets: ReadonlyMap<Alias, unknown>;
  readonly keeps: (path: DataPath) => boolean;
  budget: number;
}

/**
 * The node each alias stands for, found in one pass: the last node before
 * it with its anchor, as YAML (and yaml's own `resolve`, which looks
 * through the whole document for each alias) has it.
 */
function aliasTargets(document: ReturnType<typeof parseDocument>): Map<Alias, unknown> {
  const anchored = new Map<string, unknown>();
  const targets = new Map<Alias, unknown>();
  visit(document, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, anchored.get(node.source));
      else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * Turns the plain scalars of the maps `keeps` names into their source text,
 * in place. False when the data, aliases written out, holds more values
 * than the walk's budget (the walk stops there).
 */
function keepText(walk: TextWalk, node: unknown, path: DataPath): boolean {
  if (--walk.budget < 0) return false;
  const target = isAlias(node) ? walk.targets.get(node) : node;
  if (isSeq(target)) {
    return target.items.every((item, i) => keepText(walk, item, [...path, i]));
  }
  if (!isMap(target)) return true;
  const asText = walk.keeps(path);
  for (const pair of target.items) {
    if (!isPair(pair)) continue;
    // A merge key (`<<: *defaults`), which yaml reads as a symbol, brings its map's entries into this one.
    const merge = isScalar(pair.key) && typeof pair.key.value === "symbol";
    if (asText && !merge) {
      textOf(pair.key);
      textOf(isAlias(pair.value) ? walk.targets.get(pair.value) : pair.value);
    }
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!keepText(walk, pair.value, merge ? path : [...path, key])) return false;
  }
  return true;
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
