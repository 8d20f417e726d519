import type { BenchOptions } from "../options.ts";
import { jobBase } from "./job-base.ts";
import { measurementOf } from "./measurement.ts";
import type { Scenario, ScenarioVariant } from "./scenario.ts";

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

/**
 * Fill a queue with `depthOf(options)` messages and drain it with receive 10
 * + delete batch, `rounds` times, all in `variant`'s protocol.
 */
export function drainScenario(
  variant: ScenarioVariant,
  depthOf: (options: BenchOptions) => number,
  rounds: number,
): Scenario {
  return {
    ...variant,
    async run(context) {
      const { session, generator, options, log } = context;
      const depth = depthOf(options);
      const queueUrl = await session.createQueue(`bench-${variant.name}`);
      const result = await generator.run(
        {
          ...jobBase(variant, context, queueUrl),
          type: "drain",
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
      const left = await session.queueDepth(queueUrl);
      if (left !== 0) measurement.notes.push(`${left} messages left in the queue after the drain`);
      return measurement;
    },
  };
}

/** The shallow drain's shape: a `--shallow-depth` (10k) queue, filled and drained three times. */
export function shallowDrainScenario(variant: ScenarioVariant): Scenario {
  return drainScenario(variant, (o) => o.shallowDepth, SHALLOW_ROUNDS);
}

export const drainShallow = shallowDrainScenario({
  name: "drain-shallow",
  title: "Drain shallow (receive 10 + delete batch)",
});

/** One queue filled with `--deep-depth` (100k) messages and drained. */
export const drainDeep = drainScenario(
  { name: "drain-deep", title: "Drain deep (receive 10 + delete batch)" },
  (o) => o.deepDepth,
  1,
);
