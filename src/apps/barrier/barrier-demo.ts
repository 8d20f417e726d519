import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { parseTimelineLine } from "./timeline.ts";
import type { TimelineEntry } from "./timeline.ts";
import { checkTimeline } from "./timeline-check.ts";
import type { RoundCheck } from "./timeline-check.ts";

/** A process of the demo: the coordinator or one participant. */
export type DemoRole =
  { readonly kind: "coordinator" } | { readonly kind: "participant"; readonly id: string };

export interface DemoOptions {
  readonly participants: number;
  readonly rounds: number;
  /**
   * Starts one process of the demo with stdout and stderr piped. The caller
   * owns the command line (the CLI runs `mailroom barrier <role> ...`), so
   * the demo works with any way of starting the roles.
   */
  readonly launch: (role: DemoRole, ids: readonly string[]) => ChildProcess;
  /** SIGINT/SIGTERM: the demo passes SIGTERM on to every process. */
  readonly stop?: AbortSignal;
}

/** How one process of the demo ended. */
export interface DemoExit {
  readonly name: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Its last `mailroom: ...` line on stderr, if any. */
  readonly error?: string;
}

export interface DemoOutcome {
  readonly startedAt: number;
  readonly participants: readonly string[];
  readonly entries: readonly TimelineEntry[];
  readonly checks: readonly RoundCheck[];
  readonly exits: readonly DemoExit[];
  /** Every process exited 0 and every round passed its check. */
  readonly ok: boolean;
}

/** The demo's participant ids: p1 ... pN. */
export function demoParticipantIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `p${index + 1}`);
}

/**
 * Runs a coordinator and N participants as separate processes, collects the
 * timeline lines the participants print, and checks each round on them.
 * Resolves once every process has exited; the processes' own timeouts bound
 * how long that takes.
 */
export async function runBarrierDemo(options: DemoOptions): Promise<DemoOutcome> {
  const ids = demoParticipantIds(options.participants);
  const startedAt = Date.now();
  const entries: TimelineEntry[] = [];
  const onLine = (line: string) => {
    const entry = parseTimelineLine(line);
    if (entry) entries.push(entry);
  };
  const processes = [
    { name: "coordinator", child: options.launch({ kind: "coordinator" }, ids) },
    ...ids.map((id) => ({ name: id, child: options.launch({ kind: "participant", id }, ids) })),
  ];
  const stopAll = () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill("SIGTERM");
  };
  options.stop?.addEventListener("abort", stopAll, { once: true });
  const exits = await Promise.all(processes.map(({ name, child }) => watch(name, child, onLine)));
  options.stop?.removeEventListener("abort", stopAll);

  entries.sort((a, b) => a.at - b.at);
  const checks = checkTimeline(entries, ids, options.rounds);
  const ok =
    exits.every((exit) => exit.code === 0) && checks.every((check) => check.problem === undefined);
  return { startedAt, participants: ids, entries, checks, exits, ok };
}

function watch(
  name: string,
  child: ChildProcess,
  onLine: (line: string) => void,
): Promise<DemoExit> {
  let stderr = "";
  if (child.stdout) createInterface({ input: child.stdout }).on("line", onLine);
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.once("error", (error) =>
      resolve({ name, code: null, signal: null, error: error.message }),
    );
    child.once("close", (code, signal) => {
      const error = stderr
        .split("\n")
        .filter((line) => line.startsWith("mailroom: "))
        .at(-1);
      resolve({ name, code, signal, ...(error ? { error } : {}) });
    });
  });
}
