import { buildSync } from "esbuild";
import type { ConsoleAsset } from "./console-asset.ts";
import { contentTypeOf } from "./console-asset.ts";

/** Where the UI's sources are, relative to the package root. */
export const UI_SOURCE_DIR = "src/broker/console/ui";
const ENTRY = `${UI_SOURCE_DIR}/main.tsx`;

/**
 * Bundles the console's UI (Preact, uPlot and the pages under ui/) with
 * esbuild into one script and one style sheet named by their content hash,
 * plus the index.html that loads them. In memory and synchronous (about
 * 0.2 s), so a broker can build it at start when no current build is on disk.
 */
export function buildConsole(rootDir: string): ConsoleAsset[] {
  const result = buildSync({
    absWorkingDir: rootDir,
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    entryNames: "[name]-[hash]",
    // The charts (uPlot) load only when the Monitoring tab opens.
    splitting: true,
    chunkNames: "[name]-[hash]",
    metafile: true,
    outdir: "dist/console",
    write: false,
    legalComments: "eof",
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const assets: ConsoleAsset[] = result.outputFiles.map((file) => {
    const name = file.path.slice(file.path.lastIndexOf("/") + 1);
    return {
      name,
      body: Buffer.from(file.contents),
      contentType: contentTypeOf(name),
      immutable: true,
    };
  });
  const entry = Object.entries(result.metafile.outputs).find(
    ([, output]) => output.entryPoint === ENTRY,
  );
  if (entry === undefined) throw new Error("the console build produced no script");
  const script = entry[0].slice(entry[0].lastIndexOf("/") + 1);
  const style = entry[1].cssBundle?.slice(entry[1].cssBundle.lastIndexOf("/") + 1);
  // The entry's static imports (the shared chunk) load alongside it, not after it.
  const preloads = entry[1].imports
    .filter((imported) => imported.kind === "import-statement")
    .map((imported) => imported.path.slice(imported.path.lastIndexOf("/") + 1));
  const html = indexHtml(script, style, preloads);
  assets.push({
    name: "index.html",
    body: Buffer.from(html),
    contentType: contentTypeOf("index.html"),
    immutable: false,
  });
  return assets;
}

function indexHtml(script: string, style: string | undefined, preloads: string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Mailroom console</title>",
    '<link rel="icon" href="data:,">',
    style === undefined ? "" : `<link rel="stylesheet" href="/${style}">`,
    ...preloads.map((chunk) => `<link rel="modulepreload" href="/${chunk}">`),
    `<script type="module" src="/${script}"></script>`,
    "</head>",
    '<body><div id="app"></div></body>',
    "</html>",
    "",
  ].join("\n");
}
