import { SingleBar } from "cli-progress";

/** Where the sender's progress is shown while batches are accepted. */
export interface SendProgress {
  update(sent: number): void;
  /** Ends the display (idempotent); the caller prints its summary line after. */
  stop(): void;
}

/**
 * A progress bar on a terminal; elsewhere (a pipe, a log file, CI) a plain
 * line at each quarter, so logs get no cursor-movement escape codes.
 */
export function createSendProgress(stream: NodeJS.WriteStream, total: number): SendProgress {
  return stream.isTTY ? barProgress(stream, total) : lineProgress(stream, total);
}

function barProgress(stream: NodeJS.WriteStream, total: number): SendProgress {
  const bar = new SingleBar({
    stream,
    format: "Sending messages {bar} {percentage}% | {value}/{total} | {duration_formatted}",
    barCompleteChar: "\u2588",
    barIncompleteChar: "\u2591",
    // A second Ctrl-C exits before stop(); a hidden cursor would stay hidden.
    hideCursor: false,
  });
  bar.start(total, 0);
  let stopped = false;
  return {
    update: (sent) => bar.update(sent),
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, total: number): SendProgress {
  let quarter = 0;
  return {
    update(sent) {
      const reached = Math.floor((sent * 4) / total);
      if (reached <= quarter) return;
      quarter = reached;
      stream.write(`Sending messages: ${sent}/${total}\n`);
    },
    stop() {},
  };
}
