/**
 * A reader that closes stdout early (`mailroom queue send ... | head -1`)
 * must not crash the command with EPIPE and a stack trace, nor stop it half
 * way through sending: the command goes on with its work and exits as it
 * would have, its further output dropped. (A C program would die of SIGPIPE;
 * Node ignores SIGPIPE and reports the closed pipe as a stream error.)
 */
export function dropOutputOnceStdoutCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    throw error;
  });
}
