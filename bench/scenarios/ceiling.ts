import type { LoadGenerator } from "../load/load-generator.ts";
import type { BenchOptions } from "../options.ts";
import { freePort } from "../servers/free-port.ts";
import { spawnServer } from "../servers/running-server.ts";
import type { RunningServer } from "../servers/running-server.ts";
import { measurementOf } from "./measurement.ts";
import type { Measurement } from "./scenario.ts";

const entry = new URL("../servers/ceiling-server.ts", import.meta.url).pathname;

/** Ready when a POST gets its fixed answer. */
async function answersPost(origin: string): Promise<boolean> {
  const response = await fetch(`${origin}/`, { method: "POST", body: "{}" });
  await response.arrayBuffer();
  return response.status === 200;
}

export async function startCeilingServer(): Promise<RunningServer> {
  const port = await freePort();
  return spawnServer({
    name: "ceiling server",
    args: ["--import", "tsx", entry, String(port)],
    port,
    isReady: answersPost,
  });
}

/**
 * The same single-SendMessage load as the `send` scenario, byte for byte,
 * against a server that does nothing but answer: the most requests/s this
 * machine, Node and this generator can do, which every target is relative to.
 */
export async function measureCeiling(
  server: RunningServer,
  generator: LoadGenerator,
  options: BenchOptions,
): Promise<Measurement> {
  const result = await generator.run({
    type: "load",
    request: "send",
    origin: server.origin,
    serverPid: server.pid,
    queueUrl: `${server.origin}/000000000000/ceiling`,
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
  });
  return measurementOf(result);
}
