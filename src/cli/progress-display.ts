import { Presets, SingleBar } from "cli-progress";
import { formatCount as count } from "../apps/counted.ts";

/** Shows how far a long command has got, for people watching stdout. */
export interface ProgressDisplay {
  /** `done` of the total so far; `detail` is a short text shown beside it (`"452 C / 398 U / 150 D"`). */
  update(done: number, detail?: string): void;
  /** Leaves the last state on screen and ends the bar's line. */
  stop(): void;
}

export interface ProgressDisplayOptions {
  readonly total: number;
  /** What is counted, for the lines: `requests`. */
  readonly unit: string;
  /** Default: `process.stdout`. */
  readonly stream?: NodeJS.WriteStream;
  /** Without a terminal, one line at most this often (ms). Default 2000. */
  readonly lineIntervalMs?: number;
  /**
   * When the counted work began (`performance.now()`), for the rate.
   * Default: now. A display made only once the first counts arrive must
   * say when the work started, or its rate counts work done before it.
   */
  readonly startedAt?: number;
}

/**
 * A cli-progress bar on a terminal. In a pipe or a log file (no TTY) a bar's
 * escape codes would be noise, so it prints a plain line now and then:
 * `250/1000 requests (25%), 81.2/s, 452 C / 398 U / 150 D`.
 */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const stream = options.stream ?? process.stdout;
  return stream.isTTY ? barDisplay(options, stream) : lineDisplay(options, stream);
}

function barDisplay(options: ProgressDisplayOptions, stream: NodeJS.WriteStream): ProgressDisplay {
  const bar = new SingleBar(
    {
      stream,
      // {value} and {total} would print without thousands separators.
      format: `{bar} {percentage}% | {done}/{totalText} ${options.unit} | {rate}/s{detail}`,
      // Ctrl-C during a run ends the process before stop(): a hidden cursor would stay hidden.
      hideCursor: false,
    },
    Presets.shades_classic,
  );
  const started = options.startedAt ?? performance.now();
  const totalText = count(options.total);
  bar.start(options.total, 0, { done: "0", totalText, rate: "0", detail: "" });
  return {
    update(done, detail = "") {
      bar.update(done, {
        done: count(done),
        rate: rate(done, started),
        detail: detail === "" ? "" : ` | ${detail}`,
      });
    },
    stop: () => bar.stop(),
  };
}

function lineDisplay(options: ProgressDisplayOptions, stream: NodeJS.WriteStream): ProgressDisplay {
  const interval = options.lineIntervalMs ?? 2000;
  const started = options.startedAt ?? performance.now();
  let lastLine = started;
  const line = (done: number, detail: string) => {
    const percent = options.total === 0 ? 100 : Math.floor((done / options.total) * 100);
    const parts = [
      `${count(done)}/${count(options.total)} ${options.unit} (${percent}%)`,
      `${rate(done, started)}/s`,
      ...(detail ? [detail] : []),
    ];
    stream.write(`${parts.join(", ")}\n`);
  };
  return {
    update(done, detail = "") {
      const now = performance.now();
      // The last update is left to the summary the command prints.
      if (now - lastLine < interval || done >= options.total) return;
      lastLine = now;
      line(done, detail);
    },
    stop() {},
  };
}

function rate(done: number, started: number): string {
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? RATE_FORMAT.format(done / seconds) : "0";
}

const RATE_FORMAT = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
