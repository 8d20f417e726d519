/**
 * Paired comparison of two Mailroom trees (say, a copy of the tree before a
 * change and the tree after it): both brokers run at once, each in its own
 * process and fresh data dir, and the load alternates between them in short
 * windows, so both see the same moments of a host whose speed drifts. The
 * answer is each window's server CPU per request, and the median ratio of
 * adjacent windows. See docs/benchmarks.md.
 *
 * Usage: node --import tsx bench/paired.ts <treeA> <treeB> [flags]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cleanUpOnInterrupt, trackDir } from "./cleanup.ts";
import type { Job, JobResult } from "./load/jobs.ts";
import { LoadGenerator } from "./load/load-generator.ts";
import type { SigningCredentials } from "./load/sigv4-signer.ts";
import type { WireProtocol } from "./load/sqs-wire.ts";
import { median } from "./median.ts";
import { FIFO_GROUPS } from "./scenarios/fifo-send.ts";
import { BENCH_CREDENTIALS } from "./servers/bench-credentials.ts";
import { freePort } from "./servers/free-port.ts";
import type { RunningServer } from "./servers/running-server.ts";
import { createQueue } from "./sqs-admin.ts";
import { startMailroomServer } from "./targets/mailroom.ts";

const USAGE = `Usage: node --import tsx bench/paired.ts <treeA> <treeB> [flags]

  <treeA> <treeB>      folders holding bin/mailroom.js (a copy of the repository each)
  --scenario <name>    send, batch, fifo, drain or e2e (default send)
  --windows <n>        measured windows per tree (default 6)
  --seconds <s>        length of a window, not for drain (default 2)
  --depth <n>          drain: messages filled and drained per window (default 50000)
  --protocol <p>       json or query: the wire protocol of the load (default json);
                       json,query: A's load in JSON, B's in Query (the same tree twice
                       compares the protocols)
  --signed             sign every request with SigV4; both brokers run with --auth sigv4
                       and a made-up key in their environment
  --signed-b           sign B's requests only (the same tree twice: what checking
                       signatures costs)
`;

const SCENARIOS = ["send", "batch", "fifo", "drain", "e2e"] as const;
type PairedScenario = (typeof SCENARIOS)[number];

/** How one side's load goes over the wire. */
interface Wire {
  protocol: WireProtocol;
  auth: SigningCredentials | undefined;
}

interface Side {
  tree: string;
  wire: Wire;
  server: RunningServer;
  queueUrl: string;
  dataDir: string;
  untrackDir: () => void;
  cpuPerRequestUs: number[];
  messagesPerSecond: number[];
  p99Ms: number[];
  /** CPU of everything else on the machine per window: above ~0.2 cores the window was disturbed. */
  otherCores: number[];
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: "string", default: "send" },
      windows: { type: "string", default: "6" },
      seconds: { type: "string", default: "2" },
      depth: { type: "string", default: "50000" },
      protocol: { type: "string", default: "json" },
      signed: { type: "boolean", default: false },
      "signed-b": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    process.stdout.write(USAGE);
    if (!values.help) process.exitCode = 1;
    return;
  }
  const scenario = values.scenario as PairedScenario;
  if (!SCENARIOS.includes(scenario)) throw new Error(`--scenario: one of ${SCENARIOS.join(", ")}`);
  const windows = Math.max(1, Number(values.windows));
  const windowMs = Number(values.seconds) * 1000;
  const depth = Number(values.depth);
  const protocols = values.protocol.split(",");
  if (protocols.length > 2 || protocols.some((p) => p !== "json" && p !== "query"))
    throw new Error(`--protocol: json, query or json,query, not "${values.protocol}"`);
  const wires: Wire[] = [0, 1].map((i) => ({
    protocol: (protocols[i] ?? protocols[0]) as WireProtocol,
    auth: values.signed || (i === 1 && values["signed-b"]) ? BENCH_CREDENTIALS : undefined,
  }));

  cleanUpOnInterrupt();
  const sides = [
    await start(positionals[0]!, scenario, wires[0]!),
    await start(positionals[1]!, scenario, wires[1]!),
  ];
  const generator = LoadGenerator.start("undici");
  try {
    // One unmeasured window each first: JIT warm-up.
    for (const side of sides) await generator.run(jobFor(scenario, side, windowMs, depth));
    for (let window = 0; window < windows; window++) {
      // Alternate which tree goes first, so neither always follows the other.
      for (const side of window % 2 === 0 ? sides : [...sides].reverse()) {
        record(side, await generator.run(jobFor(scenario, side, windowMs, depth)));
      }
    }
  } finally {
    generator.close();
    for (const side of sides) {
      await side.server.stop();
      await rm(side.dataDir, { recursive: true, force: true });
      side.untrackDir();
    }
  }
  report(scenario, sides[0]!, sides[1]!);
}

async function start(tree: string, scenario: PairedScenario, wire: Wire): Promise<Side> {
  const dataDir = await mkdtemp(join(tmpdir(), "mailroom-paired-"));
  const untrackDir = trackDir(dataDir);
  const port = await freePort();
  // As the bench's Mailroom target runs it: the CLI, durable, default flags (and --auth sigv4 if signed).
  const server = await startMailroomServer(port, dataDir, resolve(tree), wire.auth);
  const fifo = scenario === "fifo";
  const queueUrl = await createQueue(
    server.origin,
    fifo ? "paired.fifo" : "paired",
    fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : undefined,
    wire.auth,
  );
  return {
    tree,
    wire,
    server,
    queueUrl,
    dataDir,
    untrackDir,
    cpuPerRequestUs: [],
    messagesPerSecond: [],
    p99Ms: [],
    otherCores: [],
  };
}

function jobFor(scenario: PairedScenario, side: Side, windowMs: number, depth: number): Job {
  const base = {
    origin: side.server.origin,
    serverPid: side.server.pid,
    queueUrl: side.queueUrl,
    concurrency: 32,
    protocol: side.wire.protocol,
    ...(side.wire.auth === undefined ? {} : { signing: side.wire.auth }),
  };
  switch (scenario) {
    case "drain":
      return { ...base, type: "drain", depth, rounds: 1, warmupMessages: 0, timeoutMs: 120_000 };
    case "e2e":
      return {
        ...base,
        type: "end-to-end",
        producers: 16,
        consumers: 16,
        waitTimeSeconds: 1,
        warmupMs: 500,
        durationMs: windowMs,
      };
    default:
      return {
        ...base,
        type: "load",
        request: scenario === "batch" ? "send-batch" : scenario === "fifo" ? "send-fifo" : "send",
        groups: FIFO_GROUPS,
        warmupMs: 300,
        durationMs: windowMs,
      };
  }
}

function record(side: Side, result: JobResult): void {
  const requestsPerSecond = result.requests / (result.elapsedMs / 1000);
  side.cpuPerRequestUs.push(((result.serverCores ?? NaN) * 1e6) / requestsPerSecond);
  side.messagesPerSecond.push(result.messages / (result.elapsedMs / 1000));
  side.p99Ms.push(result.latency.p99Ms);
  side.otherCores.push(result.otherCores ?? NaN);
}

function report(scenario: PairedScenario, a: Side, b: Side): void {
  const list = (values: number[], digits: number): string =>
    values.map((v) => v.toFixed(digits)).join(" ");
  for (const side of [a, b]) {
    const wire = `${side.wire.protocol}${side.wire.auth === undefined ? "" : ", signed"}`;
    process.stdout.write(
      `${scenario} ${side.tree} (${wire})\n` +
        `  server µs/req  median ${median(side.cpuPerRequestUs).toFixed(1)}  [${list(side.cpuPerRequestUs, 0)}]\n` +
        `  msg/s          median ${median(side.messagesPerSecond).toFixed(0)}\n` +
        `  p99 ms         median ${median(side.p99Ms).toFixed(2)}  [${list(side.p99Ms, 1)}]\n` +
        `  other cores    max ${Math.max(...side.otherCores).toFixed(2)}  [${list(side.otherCores, 2)}]\n`,
    );
  }
  const ratios = b.cpuPerRequestUs.map((us, i) => us / a.cpuPerRequestUs[i]!);
  process.stdout.write(
    `B/A server µs/req, window by window: median ${median(ratios).toFixed(3)}  [${list(ratios, 2)}]\n`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`paired: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
