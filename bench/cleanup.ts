import { rmSync } from "node:fs";

/** Things to undo if the run is interrupted: servers to kill, temp dirs to remove. */
const children = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
const dirs = new Set<string>();

export function trackChild(child: { kill(signal: NodeJS.Signals): boolean }): () => void {
  children.add(child);
  return () => children.delete(child);
}

export function trackDir(dir: string): () => void {
  dirs.add(dir);
  return () => dirs.delete(dir);
}

/**
 * Ctrl-C in the middle of a 1M fill must not leave a broker running or a
 * few hundred MB of SQLite in /tmp; normal completion cleans up on its own.
 */
export function cleanUpOnInterrupt(): void {
  const interrupt = (signal: NodeJS.Signals): void => {
    for (const child of children) child.kill("SIGKILL");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`bench: interrupted (${signal}), servers stopped and temp dirs removed\n`);
    process.exit(130);
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
}
