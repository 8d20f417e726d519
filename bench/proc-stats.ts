import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Resident memory of a process, from /proc/<pid>/status (Linux only). */
export interface MemorySample {
  /** VmRSS: resident now, in MiB. */
  rssMiB: number;
  /** VmHWM: the peak resident size since the process started, in MiB. */
  peakRssMiB: number;
}

export function readMemory(pid: number): MemorySample | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match === null ? 0 : Number(match[1]);
  };
  return { rssMiB: kib("VmRSS") / 1024, peakRssMiB: kib("VmHWM") / 1024 };
}

let ticksPerSecond: number | undefined;

/** CLK_TCK, the unit of /proc/<pid>/stat times; 100 on every Linux we know, but ask. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time a process has used so far, in milliseconds (10 ms resolution). */
export function readCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces, so count fields after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return (ticks * 1000) / clockTicks();
}

/** Busy CPU time of the whole machine so far (all cores, everything but idle and iowait), in ms. */
export function readMachineBusyMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/stat", "utf8");
  } catch {
    return undefined;
  }
  const fields = stat.slice(0, stat.indexOf("\n")).trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: drop idle (3) and iowait (4); guest is inside user.
  const busyTicks = fields
    .slice(0, 8)
    .reduce((sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + ticks), 0);
  return (busyTicks * 1000) / clockTicks();
}
