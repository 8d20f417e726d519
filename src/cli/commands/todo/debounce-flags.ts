import type { Command } from "commander";
import { CliError } from "../../cli-error.ts";

/**
 * The debounce's bounds from `--debounce-ms` and `--debounce-max-ms` (on
 * `todo`, which `todo demo` reads too). A longest hold given shorter than
 * the shortest is refused, as other flags that contradict each other are;
 * `--debounce-ms` alone past the default longest hold (600) raises it: a
 * fixed wait of that length.
 */
export function debounceBounds(
  flags: { readonly debounceMs: number; readonly debounceMaxMs: number },
  todo: Command,
): { debounceMs: number; maxDebounceMs: number } {
  const { debounceMs, debounceMaxMs } = flags;
  if (todo.getOptionValueSource("debounceMaxMs") !== "default" && debounceMaxMs < debounceMs) {
    throw new CliError(
      `--debounce-max-ms ${debounceMaxMs} is shorter than --debounce-ms ${debounceMs}: the longest hold cannot be shorter than the shortest`,
      2,
    );
  }
  return { debounceMs, maxDebounceMs: Math.max(debounceMs, debounceMaxMs) };
}
