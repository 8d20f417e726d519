import { queueDepth, createQueue } from "../sqs-admin.ts";
import type { BenchOptions } from "../options.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario } from "./scenario.ts";

/** Shallow drains are short, so several are timed together for a steadier number. */
const SHALLOW_ROUNDS = 3;

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
