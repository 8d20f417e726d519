import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from "node:os";

/** What the numbers were measured on; printed with every report and kept in the JSON. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** Filesystem of the temp dir, where the durable broker keeps its SQLite files. */
  dataFilesystem: string;
  /** 1-minute load average when the run started: other work on the box skews everything. */
  loadAverage: number;
  undici: string;
  fauxqs: string;
}

function packageVersion(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function filesystemOf(path: string): string {
  try {
    const lines = execFileSync("df", ["-T", path], { encoding: "utf8" }).trim().split("\n");
    return lines.at(-1)!.split(/\s+/)[1] ?? "?";
  } catch {
    return "?";
  }
}

export function describeMachine(): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "?",
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    kernel: release(),
    dataFilesystem: filesystemOf(tmpdir()),
    loadAverage: loadavg()[0]!,
    undici: packageVersion("undici"),
    fauxqs: packageVersion("fauxqs"),
  };
}
