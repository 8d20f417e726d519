/**
 * Layer check: fails CI when a module imports across a forbidden layer
 * boundary or when modules under src/ import each other in a cycle.
 *
 * Run with `npm run check:layers`. The layers are described in DESIGN.md
 * ("dependencies point down only"); the table below is the enforced subset.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import ts from "typescript";

/**
 * One forbidden dependency. `from` is a directory prefix relative to the repo
 * root (with a trailing slash). `to` is either a directory prefix inside the
 * repo (`src/...`) or a package: a `node:` builtin, an npm package name, a
 * whole scope written as `@scope/*`, or every builtin as `node:*`. A package also matches its subpaths, so
 * `node:fs` covers `node:fs/promises` and plain `fs`. `unless` lists repo
 * path prefixes inside `to` that stay allowed.
 */
export interface LayerRule {
  readonly from: string;
  readonly to: string;
  readonly why: string;
  readonly unless?: readonly string[];
}

const ENGINE = "src/broker/engine/";
const NO_IO = "the engine is pure TypeScript with no I/O";
const CONSOLE_UI = "src/broker/console/ui/";
const PUBLIC_API_ONLY = "the console's page is a client of the broker's public API only";
/** The JSON shapes both the broker and the console's page use. */
const WIRE_TYPES = "src/broker/wire-types.ts";
const LEAF = "the wire types are read by the browser too: types only, importing nothing";
const WEB_HELPERS = "src/web/ holds HTTP helpers every server shares, knowing none of them";

function forbid(from: string, to: string, why: string, unless?: readonly string[]): LayerRule {
  return { from, to, why, unless };
}

/**
 * The enforced rules, most specific first: an import is reported once, under
 * the first rule it breaks. The engine also inherits every `src/broker/` rule.
 */
export const LAYER_RULES: readonly LayerRule[] = [
  forbid(ENGINE, "src/broker/protocol/", "the engine must not depend on the protocol layer"),
  forbid(ENGINE, "src/broker/storage/", "storage drivers depend on the engine, not the reverse"),
  forbid(ENGINE, "src/broker/console/", "the engine must not depend on the console"),
  forbid(ENGINE, "node:http", NO_IO),
  forbid(ENGINE, "node:https", NO_IO),
  forbid(ENGINE, "node:net", NO_IO),
  forbid(ENGINE, "node:fs", NO_IO),
  forbid(ENGINE, "better-sqlite3", "the engine must not depend on a storage driver"),
  forbid(ENGINE, "@aws-sdk/*", "the engine must not depend on the AWS SDK"),
  forbid(
    "src/broker/protocol/",
    "src/broker/console/",
    "the console is served on top of the SQS protocol, which knows nothing of it",
  ),
  forbid(CONSOLE_UI, "src/broker/engine/", PUBLIC_API_ONLY),
  forbid(CONSOLE_UI, "src/broker/protocol/", PUBLIC_API_ONLY),
  forbid(CONSOLE_UI, "src/broker/storage/", PUBLIC_API_ONLY),
  forbid(CONSOLE_UI, "node:*", "the console's page runs in the browser"),
  // Anything else would bring the server's code into the page's bundle.
  forbid(
    CONSOLE_UI,
    "src/",
    "the console's page imports, outside its folder, the wire types only",
    [CONSOLE_UI, WIRE_TYPES],
  ),
  forbid(WIRE_TYPES, "src/", LEAF),
  forbid(WIRE_TYPES, "node:*", LEAF),
  forbid("src/broker/", "src/apps/", "the broker must not depend on the apps"),
  forbid("src/broker/", "src/widgets/", "the broker must not depend on the widget domain"),
  forbid("src/broker/", "src/cli/", "the broker is a library; the CLI wraps it"),
  forbid("src/widgets/", "src/apps/", "the widget domain must not depend on the apps"),
  forbid("src/widgets/", "src/broker/", "the widget domain must not depend on the broker"),
  forbid("src/widgets/", "src/cli/", "the widget domain must not depend on the CLI"),
  forbid("src/apps/", "src/broker/", "apps talk to the broker over HTTP only"),
  forbid("src/apps/", "src/cli/", "the CLI wraps the apps, not the reverse"),
  forbid("src/web/", "src/apps/", WEB_HELPERS),
  forbid("src/web/", "src/broker/", WEB_HELPERS),
  forbid("src/web/", "src/widgets/", WEB_HELPERS),
  forbid("src/web/", "src/cli/", WEB_HELPERS),
];

/** Source directory scanned, relative to the root. */
const SOURCE_DIR = "src";
const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];

/** What `checkLayers` found; every path is relative to the root, with `/`. */
export interface LayerReport {
  readonly fileCount: number;
  /** One line per forbidden import, sorted. */
  readonly forbidden: readonly string[];
  /** One line per group of files that import each other, with one cycle path. */
  readonly cycles: readonly string[];
}

/** A module specifier as written, resolved to a repo path when relative. */
interface ImportEdge {
  readonly specifier: string;
  /** Repo-relative path for relative imports, undefined for packages. */
  readonly target: string | undefined;
}

/** Checks every source file under `<rootDir>/src` against `rules`. */
export function checkLayers(
  rootDir: string,
  rules: readonly LayerRule[] = LAYER_RULES,
): LayerReport {
  const root = path.resolve(rootDir);
  const files = listSourceFiles(root, SOURCE_DIR);
  const imports = new Map<string, readonly ImportEdge[]>();
  for (const file of files) {
    imports.set(file, readImports(root, file));
  }
  return {
    fileCount: files.length,
    forbidden: findForbiddenImports(imports, rules),
    cycles: findCycles(imports),
  };
}

/** The one-line summary printed after the check. */
export function formatSummary(report: LayerReport): string {
  if (report.forbidden.length === 0 && report.cycles.length === 0) {
    return `layers ok: ${report.fileCount} files, no forbidden imports, no cycles`;
  }
  return (
    `layers check failed: ${report.forbidden.length} forbidden imports, ` +
    `${report.cycles.length} cycles in ${report.fileCount} files`
  );
}

function listSourceFiles(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== "node_modules") {
      found.push(...listSourceFiles(root, relative));
    } else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      found.push(relative);
    }
  }
  return found.sort();
}

function readImports(root: string, file: string): ImportEdge[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  return collectSpecifiers(source).map((specifier) => ({
    specifier,
    target: resolveRelative(root, file, specifier),
  }));
}

/**
 * Walks the whole AST rather than scanning text, so imports inside comments or
 * strings are ignored and `import()` nested in functions is found. Type-only
 * imports count too: the engine must not even know the protocol's types.
 */
function collectSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifierOf(node);
    if (specifier !== undefined) specifiers.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function moduleSpecifierOf(node: ts.Node): string | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
    return stringValue(node.moduleSpecifier);
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    return stringValue(node.moduleReference.expression);
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    // A computed `import(name)` cannot be checked statically; it is skipped.
    return stringValue(node.arguments[0]);
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    return stringValue(node.argument.literal);
  }
  return undefined;
}

function stringValue(node: ts.Node | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/**
 * Resolves a relative specifier the way tsx and NodeNext do: the file as
 * written, a `.js` spelling of a `.ts` file, or a directory's index. When
 * nothing exists (a file another change is still adding) the written path is
 * kept, so layer rules still apply; reporting missing files is tsc's job.
 */
function resolveRelative(root: string, file: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const written = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const candidates = [
    written,
    written.replace(/\.js$/, ".ts"),
    written.replace(/\.mjs$/, ".mts"),
    written.replace(/\.cjs$/, ".cts"),
    `${written}.ts`,
    `${written}.tsx`,
    `${written}/index.ts`,
  ];
  return candidates.find((candidate) => isFile(path.join(root, candidate))) ?? written;
}

function isFile(absolute: string): boolean {
  return existsSync(absolute) && statSync(absolute).isFile();
}

function findForbiddenImports(
  imports: ReadonlyMap<string, readonly ImportEdge[]>,
  rules: readonly LayerRule[],
): string[] {
  const lines = new Set<string>();
  for (const [file, edges] of imports) {
    for (const edge of edges) {
      const broken = rules.find((rule) => breaks(file, edge, rule));
      if (broken !== undefined) {
        lines.add(`${file} imports ${edge.target ?? edge.specifier}: ${broken.why}`);
      }
    }
  }
  return [...lines].sort();
}

function breaks(file: string, edge: ImportEdge, rule: LayerRule): boolean {
  if (!file.startsWith(rule.from)) return false;
  if (edge.target !== undefined) {
    const target = edge.target;
    return (
      target.startsWith(rule.to) && !rule.unless?.some((allowed) => target.startsWith(allowed))
    );
  }
  return isWithinPackage(canonicalPackage(edge.specifier), rule.to);
}

/** Builtins are compared in their `node:` form, so `fs` and `node:fs` are one module. */
function canonicalPackage(specifier: string): string {
  if (!specifier.startsWith("node:") && isBuiltin(specifier)) return `node:${specifier}`;
  return specifier;
}

function isWithinPackage(specifier: string, pattern: string): boolean {
  if (pattern.endsWith("/*") || pattern.endsWith(":*")) {
    return specifier.startsWith(pattern.slice(0, -1));
  }
  return specifier === pattern || specifier.startsWith(`${pattern}/`);
}

/**
 * Finds strongly connected components (Tarjan) of the import graph among the
 * scanned files and reports one concrete cycle per component, so a tangle of
 * many files gives one readable line rather than every possible loop.
 */
function findCycles(imports: ReadonlyMap<string, readonly ImportEdge[]>): string[] {
  const graph = buildGraph(imports);
  return stronglyConnected(graph)
    .filter((group) => isCycle(graph, group))
    .map((group) => `import cycle: ${shortestCycle(graph, group).join(" -> ")}`)
    .sort();
}

/** A group of one file is a cycle only when the file imports itself. */
function isCycle(graph: ReadonlyMap<string, readonly string[]>, group: readonly string[]): boolean {
  const [first] = group;
  return group.length > 1 || (first !== undefined && (graph.get(first) ?? []).includes(first));
}

function buildGraph(imports: ReadonlyMap<string, readonly ImportEdge[]>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, edges] of imports) {
    const targets = edges.flatMap((edge) =>
      edge.target !== undefined && imports.has(edge.target) ? [edge.target] : [],
    );
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const connect = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node) ?? 0, lowLink.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    groups.push(group.sort());
  };

  for (const node of graph.keys()) {
    if (!index.has(node)) connect(node);
  }
  return groups;
}

/** Breadth-first search from the group's first file back to itself, inside the group. */
function shortestCycle(
  graph: ReadonlyMap<string, readonly string[]>,
  group: readonly string[],
): string[] {
  const start = group[0] ?? "";
  const members = new Set(group);
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? "";
    for (const next of graph.get(node) ?? []) {
      if (next === start) return [...pathTo(previous, node, start), start];
      if (!members.has(next) || previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  return [start, start];
}

function pathTo(previous: ReadonlyMap<string, string>, node: string, start: string): string[] {
  const route = [node];
  while (route[0] !== start) route.unshift(previous.get(route[0] ?? "") ?? start);
  return route;
}

/** Checks the repo this script lives in, or the root given as the first argument. */
function main(): void {
  const report = checkLayers(process.argv[2] ?? path.resolve(import.meta.dirname, ".."));
  for (const line of [...report.forbidden, ...report.cycles]) console.error(line);
  const summary = formatSummary(report);
  if (report.forbidden.length > 0 || report.cycles.length > 0) {
    console.error(summary);
    process.exitCode = 1;
  } else {
    console.log(summary);
  }
}

// Run only as a script, so the test can import checkLayers without side effects.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  main();
}
