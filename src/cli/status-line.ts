/** A terminal as the status line writes to it: `process.stdout`, or a test's fake. */
export interface TerminalStream {
  /** Width in characters; a line as wide wraps onto the next row, which `\r` cannot reach. */
  readonly columns?: number;
  write(text: string): unknown;
}

/** ESC[2K clears the whole row, ESC[K the rest of it. */
const CLEAR_ROW = "\x1b[2K";
const CLEAR_TO_END = "\x1b[K";

let shown: { stream: TerminalStream; text: string } | undefined;
/** Set while log lines are written where the status line was, until it is drawn again. */
let redraw: NodeJS.Immediate | undefined;

/**
 * Draws (or redraws in place) the one line at the bottom of a terminal that a
 * progress bar keeps up to date. Nothing but `\r` and clears: a log line
 * written in between moves the cursor, so saving and restoring the cursor
 * (cli-progress's way) would put the bar back over the log line.
 */
export function drawStatusLine(stream: TerminalStream, text: string): void {
  clearImmediate(redraw);
  redraw = undefined;
  shown = { stream, text };
  stream.write(`\r${fitted(text, stream.columns)}${CLEAR_TO_END}`);
}

/** Leaves the status line on screen and moves below it, for what the command prints next. */
export function endStatusLine(): void {
  if (shown === undefined) return;
  if (redraw !== undefined) drawStatusLine(shown.stream, shown.text);
  shown.stream.write("\n");
  shown = undefined;
}

/**
 * Runs `write`, which writes whole lines to the same terminal (a log line on
 * stderr), above the status line: the status line is cleared, the lines
 * written where it was, and the status line drawn again below them once the
 * lines of this turn of the event loop are written (a batch of requests logs
 * ten at once). Without a status line on screen, `write` runs alone.
 */
export function writeAboveStatusLine(write: () => void): void {
  if (shown !== undefined && redraw === undefined) {
    const { stream, text } = shown;
    stream.write(`\r${CLEAR_ROW}`);
    redraw = setImmediate(() => drawStatusLine(stream, text));
  }
  write();
}

/** Cut to one character less than the width: a full row leaves some terminals waiting to wrap. */
function fitted(text: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || text.length < columns) return text;
  return text.slice(0, columns - 1);
}
