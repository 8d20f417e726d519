import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { BenchResults } from "./bench-results.ts";

const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));

/** Writes bench/results/bench-<timestamp>.json (gitignored) and returns its path. */
export async function writeResultsFile(results: BenchResults): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, "-");
  const path = join(resultsDir, `bench-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
