import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_CREDENTIALS } from "../../apps/aws/aws-connection.ts";
import { addStats, emptyStats } from "../../apps/consumer/consumer-stats.ts";
import type { ConsumerStats } from "../../apps/consumer/consumer-stats.ts";
import { exitOf, whenExited } from "../process-exit.ts";
import type { ProcessExit } from "../process-exit.ts";
import { spawnMailroom } from "../spawn-mailroom.ts";

export interface ConsumerProcessOptions {
  readonly count: number;
  /** Arguments every consumer gets (source, store, endpoint...). */
  readonly args: readonly string[];
  /** Folder for each consumer's `consumer-<n>.log` and `consumer-<n>.json` (its stats). */
  readonly runDir: string;
}

/**
 * Consumers as separate processes, as users run them (`mailroom consumer`),
 * each logging to its own file and keeping its totals in a stats file the
 * pipeline reads for its progress display.
 */
export class ConsumerProcesses {
  private readonly children: ChildProcess[] = [];
  private readonly exits: Promise<ProcessExit>[] = [];
  private readonly statsFiles: string[] = [];
  private readonly stderr: string[] = [];

  constructor(private readonly options: ConsumerProcessOptions) {}

  start(): void {
    for (let n = 1; n <= this.options.count; n += 1) {
      const statsFile = join(this.options.runDir, `consumer-${n}.json`);
      const child = spawnMailroom(
        [
          "consumer",
          ...this.options.args,
          "--log-file",
          join(this.options.runDir, `consumer-${n}.log`),
          "--stats-file",
          statsFile,
        ],
        { stdout: "ignore", env: consumerEnvironment() },
      );
      const index = this.children.length;
      this.stderr.push("");
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        this.stderr[index] = (this.stderr[index]! + chunk).slice(-4000);
      });
      this.children.push(child);
      this.statsFiles.push(statsFile);
      this.exits.push(whenExited(child));
    }
  }

  /** The consumers' running totals, summed (a consumer that has not written yet counts as zero). */
  totals(): ConsumerStats {
    return this.statsFiles.reduce((total, file) => {
      try {
        return addStats(total, JSON.parse(readFileSync(file, "utf8")) as ConsumerStats);
      } catch {
        return total;
      }
    }, emptyStats());
  }

  /** Index of a consumer that has exited already, how it ended and its stderr, or undefined. */
  exitedEarly(): { index: number; exit: ProcessExit; stderr: string } | undefined {
    const index = this.children.findIndex((child) => exitOf(child) !== undefined);
    if (index === -1) return undefined;
    return { index, exit: exitOf(this.children[index]!)!, stderr: this.stderr[index]! };
  }

  /**
   * SIGTERM to all: they finish what they hold, acknowledge it and exit.
   * Resolves with how each ended. A consumer sets its SIGTERM handler before
   * it takes a request, so one the signal killed (a short run can end while
   * a consumer is still starting) had nothing in hand: that is a clean stop, 0.
   */
  async stop(): Promise<ProcessExit[]> {
    const signalled = this.children.map((child) => {
      if (exitOf(child) !== undefined) return false;
      return child.kill("SIGTERM");
    });
    const exits = await Promise.all(this.exits);
    return exits.map((exit, index) => (signalled[index] && exit === "SIGTERM" ? 0 : exit));
  }

  /** Last resort when the pipeline itself fails. */
  kill(): void {
    for (const child of this.children) child.kill("SIGKILL");
  }
}

/**
 * The consumers talk to this run's broker only, whatever the shell holds:
 * an `AWS_PROFILE` whose SSO session expired would stop them before their
 * first request, and `MAILROOM_SQS_ENDPOINT_URL` would send them elsewhere.
 */
function consumerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("MAILROOM_")) env[name] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}
