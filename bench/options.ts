import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ClientKind } from "./load/transport.ts";
import type { TargetName } from "./targets/target.ts";

/** Everything `npm run bench -- <flags>` can change. Defaults are the issue's. */
export interface BenchOptions {
  /** Measured seconds per timed scenario. Default 5. */
  durationMs: number;
  /** Warm-up before each timed scenario (not measured). Default 1 s. */
  warmupMs: number;
  /** Brokers to measure. Default mailroom; `--compare` adds fauxqs. */
  targets: TargetName[];
  /** Scenario names (or prefixes such as `drain`) to run; empty = all. */
  only: string[];
  skipMillion: boolean;
  /** Skip the widget pipeline runs (`pipeline` in --only selects them alone). */
  skipPipeline: boolean;
  /** Leave out the console's page budget (needs Chromium). */
  skipConsole: boolean;
  /** Requests queued for each pipeline drain (consumers or bare SDK, per process count). Default 6000. */
  pipelineRequests: number;
  /** Where the pipeline's brokers and widget folders go. Default: /dev/shm where there is one, else the OS temp folder. */
  pipelineDir: string | undefined;
  /** Requests in flight. Default 32. */
  concurrency: number;
  client: ClientKind;
  /** End to end: how many of the in-flight slots send; the rest receive. Default 16. */
  producers: number;
  shallowDepth: number;
  deepDepth: number;
  millionCount: number;
  /** Longest wait for other work on the machine to stop before each measurement. Default 30 s; 0 = never wait. */
  quietWaitMs: number;
  /** Extra attempts for a measurement that other work disturbed. Default 2. */
  retries: number;
  /** Rounds of each scenario per target, the targets' order alternating; the median is reported. Default 1. */
  repeat: number;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [flags]

  --compare             also run every scenario against fauxqs (in-memory), side by side
  --only <names>        comma-separated scenarios: send, batch, drain-shallow, drain-deep
                        (or drain), query-send, query-batch, query-drain (or query),
                        sigv4-unchecked-send, sigv4-send (or sigv4), fifo, e2e, million,
                        pipeline, console; "ceiling" alone runs only the ceiling
  --skip-million        skip the 1,000,000-message RSS and restart scenario
  --skip-pipeline       skip the widget pipeline (1, 2 and 4 consumer processes, each against
                        as many bare AWS SDK processes); "pipeline" in --only runs it
  --skip-console        skip the console's Queues page with 1,000 queues in Chromium;
                        "console" in --only runs it
  --pipeline-requests <n>  requests queued for each of those drains (default 6000)
  --pipeline-dir <dir>  where those drains' brokers and widget folders go (default /dev/shm,
                        a RAM disk, where there is one, else the OS temp folder); the report
                        says how long creating a file there took
  --duration <s>        measured seconds per timed scenario (default 5)
  --warmup <s>          unmeasured warm-up before each (default 1; drains: 30,000 messages, 0: none)
  --concurrency <n>     requests in flight (default 32)
  --producers <n>       end to end: producers among the in-flight (default 16; rest consume)
  --client <c>          undici (default), node-http, or raw (a minimal HTTP/1.1 client
                        over node:net, to see how much of the ceiling is the generator)
  --targets <list>      mailroom,fauxqs (default mailroom; --compare = both)
  --shallow-depth <n>   messages per shallow drain round (default 10000)
  --deep-depth <n>      messages in the deep drain (default 100000)
  --million-count <n>   messages in the RSS/restart scenario (default 1000000)
  --quiet-wait <s>      before each measurement, wait up to this long for other work on
                        the machine to stop (default 30; 0 = don't wait)
  --retries <n>         measure again, up to n more times, when other work took more than
                        0.2 cores during a measurement; the least disturbed is kept (default 2)
  --repeat <n>          run every scenario n times per target, in n rounds of all of them,
                        alternating which target goes first; report the run with the median
                        msg/s, and a variant against its twin as the median of the rounds'
                        ratios (default 1): a slow spell of the machine then hits both sides
`;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} wants a positive number, got "${raw}"`);
  return value;
}

function existingFolder(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!statSync(raw, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`--${name} wants an existing folder, got "${raw}"`);
  return raw;
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      compare: { type: "boolean", default: false },
      only: { type: "string" },
      "skip-pipeline": { type: "boolean", default: false },
      "skip-console": { type: "boolean", default: false },
      "pipeline-requests": { type: "string" },
      "pipeline-dir": { type: "string" },
      "skip-million": { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      producers: { type: "string" },
      client: { type: "string" },
      targets: { type: "string" },
      "shallow-depth": { type: "string" },
      "deep-depth": { type: "string" },
      "million-count": { type: "string" },
      "quiet-wait": { type: "string" },
      retries: { type: "string" },
      repeat: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const concurrency = Math.round(positive("concurrency", values.concurrency, 32));
  const producers = Math.round(
    positive("producers", values.producers, Math.max(1, concurrency / 2)),
  );
  if (producers >= concurrency) throw new Error("--producers must leave at least one consumer");
  const client = values.client ?? "undici";
  if (client !== "undici" && client !== "node-http" && client !== "raw") {
    throw new Error(`--client: undici, node-http or raw, not "${client}"`);
  }
  const targets = list(values.targets ?? (values.compare ? "mailroom,fauxqs" : "mailroom"));
  for (const target of targets) {
    if (target !== "mailroom" && target !== "fauxqs") throw new Error(`unknown target "${target}"`);
  }
  if (values.compare && !targets.includes("fauxqs")) targets.push("fauxqs");
  return {
    durationMs: positive("duration", values.duration, 5) * 1000,
    warmupMs: values.warmup === "0" ? 0 : positive("warmup", values.warmup, 1) * 1000,
    targets: targets as TargetName[],
    only: list(values.only),
    skipMillion: values["skip-million"],
    skipPipeline: values["skip-pipeline"],
    skipConsole: values["skip-console"],
    pipelineRequests: Math.round(positive("pipeline-requests", values["pipeline-requests"], 6000)),
    pipelineDir: existingFolder("pipeline-dir", values["pipeline-dir"]),
    concurrency,
    client,
    producers,
    shallowDepth: Math.round(positive("shallow-depth", values["shallow-depth"], 10_000)),
    deepDepth: Math.round(positive("deep-depth", values["deep-depth"], 100_000)),
    millionCount: Math.round(positive("million-count", values["million-count"], 1_000_000)),
    quietWaitMs:
      values["quiet-wait"] === "0" ? 0 : positive("quiet-wait", values["quiet-wait"], 30) * 1000,
    retries: values.retries === "0" ? 0 : Math.round(positive("retries", values.retries, 2)),
    repeat: Math.round(positive("repeat", values.repeat, 1)),
    help: values.help,
  };
}
