import { formatCount as count } from "../apps/counted.ts";
import { drawStatusLine, endStatusLine } from "./status-line.ts";

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
  /** On a terminal, the bar is redrawn at most this often (ms). Default 100. */
  readonly redrawIntervalMs?: number;
  /**
   * When the counted work began (`performance.now()`), for the rate.
   * Default: now. A display made only once the first counts arrive must
   * say when the work started, or its rate counts work done before it.
   */
  readonly startedAt?: number;
}

/**
 * A bar on the terminal's last line, redrawn in place, with log lines written
 * above it (see `status-line.ts`):
 * `████████░░░░ 25% | 250/1,000 requests | 81.2/s | 452 C / 398 U / 150 D`.
 * In a pipe or a log file (no TTY) a bar's escape codes would be noise, so it
 * prints a plain line now and then:
 * `250/1,000 requests (25%), 81.2/s, 452 C / 398 U / 150 D`.
 */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const stream = options.stream ?? process.stdout;
  return stream.isTTY ? barDisplay(options, stream) : lineDisplay(options, stream);
}

function barDisplay(options: ProgressDisplayOptions, stream: NodeJS.WriteStream): ProgressDisplay {
  const started = options.startedAt ?? performance.now();
  const interval = options.redrawIntervalMs ?? 100;
  const totalText = count(options.total);
  let lastDraw = -Infinity;
  let latest = { done: 0, detail: "" };
  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  const draw = () => {
    clearTimeout(pending);
    pending = undefined;
    lastDraw = performance.now();
    const { done, detail } = latest;
    const fraction = options.total === 0 ? 1 : Math.min(done / options.total, 1);
    const parts = [
      `${bar(fraction)} ${Math.floor(fraction * 100)}%`,
      `${count(done)}/${totalText} ${options.unit}`,
      `${rate(done, started)}/s`,
      ...(detail ? [detail] : []),
    ];
    drawStatusLine(stream, parts.join(" | "));
  };
  draw();
  return {
    update(done, detail = "") {
      if (stopped) return;
      latest = { done, detail };
      // Thousands of updates a second at full speed: the eye needs a few,
      // and the last of a burst drawn soon after, not at the next update.
      const wait = lastDraw + interval - performance.now();
      if (wait <= 0) draw();
      else pending ??= setTimeout(draw, wait).unref();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      draw();
      endStatusLine();
    },
  };
}

/** 40 cells, full ones for the part done, as cli-progress's `shades_classic`. */
function bar(fraction: number): string {
  const full = Math.round(fraction * BAR_CELLS);
  return "\u2588".repeat(full) + "\u2591".repeat(BAR_CELLS - full);
}

const BAR_CELLS = 40;

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
