import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { processingInLog } from "./consumer-log.ts";
import { DrainerProcess, drainAndStop } from "./drainer-process.ts";
import type { DrainWatch } from "./drainer-process.ts";
import type { LoadedBroker } from "./loaded-broker.ts";
import { parseProcessedLines, processingRate } from "./processing-rate.ts";
import type { Processed } from "./processing-rate.ts";

const MAILROOM_BIN = fileURLToPath(new URL("../../bin/mailroom.js", import.meta.url));
const BARE_SDK_DRAINER = fileURLToPath(new URL("./bare-sdk-drainer.ts", import.meta.url));
/**
 * Long-poll wait of every receive, consumers' and drainers' alike. Short, so
 * that at the end a process sees the queue empty and answers SIGTERM within
 * a second; while messages are queued a receive returns at once anyway.
 */
const WAIT_SECONDS = 1;

/** A side's processes draining the queue, watched, with their rate. */
export interface SideDrain extends DrainWatch {
  /** Messages (widget requests, for the pipeline) per second between the first and the last one. */
  readonly perSecond: number;
}

/** What a side does with a broker holding `queueDepth` requests and a folder of its own. */
export type Drain = (broker: LoadedBroker, queueDepth: number, work: string) => Promise<SideDrain>;

/** `processes` bare SDK drainers (`bare-sdk-drainer.ts`), rated from what they print. */
export function bareSdkDrain(processes: number): Drain {
  return async (broker, queueDepth) => {
    const drainers = Array.from(
      { length: processes },
      () =>
        new DrainerProcess([
          "--import",
          "tsx",
          BARE_SDK_DRAINER,
          broker.endpointUrl,
          broker.queueUrl,
          String(WAIT_SECONDS),
        ]),
    );
    const watch = await drainAndStop(broker, queueDepth, drainers);
    const events = drainers.flatMap((drainer) => parseProcessedLines(drainer.stdout));
    return { perSecond: rateOf(events, "no batch deleted"), ...watch };
  };
}

/** `processes` `mailroom consumer`s into one folder store, rated from their log files. */
export function consumerDrain(processes: number): Drain {
  return async (broker, queueDepth, work) => {
    const logFile = (index: number): string => join(work, `consumer-${index}.log`);
    const consumers = Array.from(
      { length: processes },
      (_, index) =>
        new DrainerProcess([
          MAILROOM_BIN,
          "consumer",
          "--request-queue",
          broker.queueUrl,
          "--endpoint-url",
          broker.endpointUrl,
          "--widget-dir",
          join(work, "widgets"),
          "--queue-wait-timeout",
          String(WAIT_SECONDS),
          "--log-file",
          logFile(index),
        ]),
    );
    const watch = await drainAndStop(broker, queueDepth, consumers);
    // Read after the consumers exited: pino writes a log file in chunks and flushes on exit.
    const events = consumers.flatMap((_, index) => processingInLog(logFile(index)));
    return { perSecond: rateOf(events, 'no "Processing" line in the consumer logs'), ...watch };
  };
}

/** A side that reports nothing has not been measured; 0 would read as a (failed) measurement. */
function rateOf(events: readonly Processed[], nothing: string): number {
  if (events.length < 2) throw new Error(`${nothing}: nothing to take a rate from`);
  return processingRate(events);
}
