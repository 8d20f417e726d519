#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm install`, or `npm run
// build`) while it is newer than every source file, and otherwise the
// TypeScript sources through tsx's loader, so an edited source never runs
// stale. The compiled build starts about 0.25 s sooner and uses about 25 MiB
// less memory per process (no compiler thread), which counts for the four
// consumers of `npm start`.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The AWS SDK warns on every run that its 2027 releases will need Node 22.
// Mailroom pins SDK versions that support Node 20, so the warning only
// clutters output people read; set the variable to "false" to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const SOURCES = new URL("../src/", import.meta.url);
const COMPILED_MAIN = new URL("../dist/cli/main.js", import.meta.url);

try {
  if (compiledIsCurrent()) {
    await import(COMPILED_MAIN.href);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import("../src/cli/main.ts");
  }
} catch (error) {
  // A fresh clone run before `npm install`: one line, not a loader stack trace.
  const missing = /Cannot find package '([^']+)'/.exec(error?.message ?? "");
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || missing === null) throw error;
  const root = fileURLToPath(new URL("..", import.meta.url));
  process.stderr.write(
    `mailroom: the package ${missing[1]} is not installed; run \`npm install\` in ${root} first\n`,
  );
  process.exit(1);
}

/** Whether dist/ was built after the last change to any file under src/. */
function compiledIsCurrent() {
  const built = statSync(COMPILED_MAIN, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  for (const entry of readdirSync(SOURCES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const changed = statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs;
    if (changed > built) return false;
  }
  return true;
}
