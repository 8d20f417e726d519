/**
 * Set by a parent that runs this command as its child (the pipeline's
 * consumers) and holds the other end of its stdin.
 */
export const STOP_WITH_PARENT_ENV = "MAILROOM_STOP_WITH_PARENT";

/**
 * When the parent asked for it, stdin reaching its end means the parent is
 * gone (even SIGKILLed: the kernel closes its end of the pipe), and this
 * process stops as on SIGTERM instead of polling a broker that died with
 * the parent, forever.
 */
export function stopWithParent(): void {
  if (process.env[STOP_WITH_PARENT_ENV] !== "1") return;
  const stdin = process.stdin;
  stdin.once("end", () => {
    // Its stderr led to the parent too: a write now fails with EPIPE, which
    // must not crash the stop before its files are closed (stdout's is
    // dropped for every command: closed-stdout.ts).
    process.stderr.on("error", () => undefined);
    process.kill(process.pid, "SIGTERM");
  });
  stdin.resume();
  // The pipe alone must not keep the process alive once its work is done.
  (stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
}
