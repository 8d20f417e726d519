import { performance } from "node:perf_hooks";

const startedAt = performance.now();

/**
 * One line per phase on stderr, stamped with seconds since start, so stdout
 * carries only the final report and can be redirected to a file.
 */
export function progress(line: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${line}\n`);
}
