/** Work done at one moment: one widget request taken on, or a batch of messages received and deleted. */
export interface Processed {
  /** Epoch milliseconds (`Date.now()`, pino's `time`): one clock for every process on the machine. */
  readonly time: number;
  readonly count: number;
}

/**
 * Items per second between the first and the last moment anything was
 * processed, over all processes of a run, so their start-up (a second or two
 * of loading the SDK) and the wait to see the queue empty are left out. The
 * first moment opens the interval, so what it processed is not counted in it.
 */
export function processingRate(events: readonly Processed[]): number {
  if (events.length < 2) return 0;
  let first = events[0]!;
  let last = first.time;
  let total = 0;
  for (const event of events) {
    total += event.count;
    if (event.time < first.time) first = event;
    if (event.time > last) last = event.time;
  }
  const seconds = (last - first.time) / 1000;
  return seconds > 0 ? (total - first.count) / seconds : 0;
}

/** A bare SDK drainer's stdout line for one batch: the event as JSON. */
export function processedLine(event: Processed): string {
  return `${JSON.stringify(event)}\n`;
}

/** The events in a bare SDK drainer's stdout. */
export function parseProcessedLines(output: string): Processed[] {
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Processed);
}
