/**
 * Builds the web console into dist/console (run by `npm install` through the
 * `prepare` script, or `npm run build:console`), and prints each file's size
 * raw and gzipped against the 150 KiB budget.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildConsole } from "../src/broker/console/console-build.ts";
import { CONSOLE_BUILD_DIR, saveBuild } from "../src/broker/console/console-assets.ts";

const BUDGET_GZIP_BYTES = 150 * 1024;

const root = path.resolve(import.meta.dirname, "..");
rmSync(path.join(root, CONSOLE_BUILD_DIR), { recursive: true, force: true });
const assets = saveBuild(root, buildConsole(root));
let total = 0;
for (const asset of assets) {
  const gzipped = gzipSync(asset.body, { level: 9 }).length;
  total += gzipped;
  console.log(
    `  ${asset.name.padEnd(28)} ${kib(asset.body.length).padStart(9)}  ${kib(gzipped).padStart(9)} gzipped`,
  );
}
console.log(
  `console built in ${CONSOLE_BUILD_DIR}: ${kib(total)} gzipped (budget ${kib(BUDGET_GZIP_BYTES)})`,
);
if (total > BUDGET_GZIP_BYTES) {
  console.error("the console's assets are over budget");
  process.exitCode = 1;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
