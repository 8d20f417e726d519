import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConsoleAsset } from "./console-asset.ts";
import { contentTypeOf } from "./console-asset.ts";
import { buildConsole, UI_SOURCE_DIR } from "./console-build.ts";

/** The package root: three folders up from src/broker/console/ or dist/broker/console/. */
const ROOT_DIR = fileURLToPath(new URL("../../../", import.meta.url));
/** Where `npm install` (the `prepare` script) puts the built console. Git ignores dist/. */
export const CONSOLE_BUILD_DIR = "dist/console";
const MANIFEST = "manifest.json";

/**
 * The console's files: the build in dist/console when it is newer than
 * every UI source, else a fresh build made now (and saved there for the
 * next start, when the folder is writable). So a clean clone works after
 * `npm install`, and an edited UI never runs stale.
 */
export function loadConsoleAssets(rootDir: string = ROOT_DIR): ConsoleAsset[] {
  return readCurrentBuild(rootDir) ?? saveBuild(rootDir, buildConsole(rootDir));
}

/**
 * Writes a build to dist/console: each file under a temporary name then
 * renamed, the manifest last, so a broker starting at the same moment
 * reads either the old build or the whole new one.
 */
export function saveBuild(rootDir: string, assets: ConsoleAsset[]): ConsoleAsset[] {
  const dir = join(rootDir, CONSOLE_BUILD_DIR);
  try {
    mkdirSync(dir, { recursive: true });
    const files = [...assets.map((asset) => asset.name)];
    for (const asset of assets) writeAtomically(join(dir, asset.name), asset.body);
    writeAtomically(join(dir, MANIFEST), Buffer.from(JSON.stringify({ files }, null, 2)));
  } catch {
    // A read-only install still serves the build it just made.
  }
  return assets;
}

function writeAtomically(file: string, body: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, body);
  renameSync(temporary, file);
}

function readCurrentBuild(rootDir: string): ConsoleAsset[] | undefined {
  const dir = join(rootDir, CONSOLE_BUILD_DIR);
  const manifest = join(dir, MANIFEST);
  const built = statSync(manifest, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined || newestSource(join(rootDir, UI_SOURCE_DIR)) > built) return undefined;
  try {
    const { files } = JSON.parse(readFileSync(manifest, "utf8")) as { files: string[] };
    return files.map((name) => ({
      name,
      body: readFileSync(join(dir, name)),
      contentType: contentTypeOf(name),
      immutable: name !== "index.html",
    }));
  } catch {
    return undefined;
  }
}

/** The latest change under the UI's sources; 0 when they are not there (a trimmed install). */
function newestSource(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
