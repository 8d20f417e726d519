import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Files created by the probe; enough to average out, few enough to take milliseconds. */
const PROBE_FILES = 500;

/**
 * Creating a file costs more than this on a disk that will distort the
 * pipeline's rate: a local disk in good shape creates one in 10 to 40 µs,
 * a RAM disk in a few.
 */
export const SLOW_FILE_CREATION_MICROS = 100;

/**
 * Microseconds to create one small file in a new folder under `dir`, as a
 * consumer does for every new widget. Measured before the drains because the
 * folder store's rate depends on it more than on anything of ours: on an
 * ext4 without a journal (this VM's disk), creating files where tens of
 * thousands were deleted in the last minutes takes 0.24 to 0.65 ms each
 * instead of 20 to 46 µs (see docs/benchmarks.md). The files are left for
 * the caller's clean-up: deleting them now would slow the drains' creates.
 */
export function probeFileCreation(dir: string): number {
  const folder = join(dir, "file-creation-probe");
  mkdirSync(folder, { recursive: true });
  const text = "x".repeat(300);
  const start = performance.now();
  for (let i = 0; i < PROBE_FILES; i++) writeFileSync(join(folder, String(i)), text);
  return ((performance.now() - start) * 1000) / PROBE_FILES;
}
