import { queueDepth, createQueue } from "../sqs-admin.ts";
import type { BenchOptions } from "../options.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** Shallow drains are short, so several are timed together for a steadier number. */
const SHALLOW_ROUNDS = 3;

/**
 * Filled and drained, untimed, before the timed rounds (unless `--warmup 0`),
 * so that the server's receive and delete code is optimized by the JIT
 * before the clock starts, as the other scenarios' warm-up second does.
 * Without it the shallow drain (three short rounds) looked slower than the
 * deep one (one long round): successive 10k rounds on a fresh Mailroom
 * measured 296-322, 150-185, 116-184, then 86-145 µs of server CPU per
 * request, so a cold first round weighed on the shallow total and hardly on
 * the deep one. 30,000 messages cover those first three rounds.
 */
const WARMUP_MESSAGES = 30_000;

function drainScenario(
  name: string,
  depthOf: (options: BenchOptions) => number,
  rounds: number,
): Scenario {
  return {
    name,
    title: `Drain ${name.replace("drain-", "")} (receive 10 + delete batch)`,
    async run({ session, generator, options, log }) {
      const depth = depthOf(options);
      const queueUrl = await createQueue(session.server.origin, `bench-${name}`);
      const result = await generator.run(
        {
          type: "drain",
          origin: session.server.origin,
          serverPid: session.server.pid,
          queueUrl,
          concurrency: options.concurrency,
          depth,
          rounds,
          warmupMessages: options.warmupMs > 0 ? WARMUP_MESSAGES : 0,
          // Generous: a broker at 1,000 msg/s still finishes 100k.
          timeoutMs: Math.max(60_000, depth),
        },
        log,
      );
      const measurement = measurementOf(result);
      measurement.details.depth = depth;
      measurement.details.rounds = rounds;
      const left = await queueDepth(session.server.origin, queueUrl);
      if (left !== 0) measurement.notes.push(`${left} messages left in the queue after the drain`);
      return measurement;
    },
  };
}

/** A queue filled with `--shallow-depth` (10k) messages and drained, three times. */
export const drainShallow = drainScenario("drain-shallow", (o) => o.shallowDepth, SHALLOW_ROUNDS);

/** One queue filled with `--deep-depth` (100k) messages and drained. */
export const drainDeep = drainScenario("drain-deep", (o) => o.deepDepth, 1);
