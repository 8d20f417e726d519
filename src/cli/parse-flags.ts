import { CliError } from "./cli-error.ts";

/** A flag parser for a TCP port (0 = any free port). */
export function portFlag(flag: string): (value: string) => number {
  return (value) => {
    const port = Number(value);
    if (!/^\d{1,5}$/.test(value) || port > 65_535) {
      throw new CliError(`${flag} must be a number from 0 to 65535, got "${value}"`, 2);
    }
    return port;
  };
}

/** Reads a boolean environment variable the way people write them. */
export function parseBooleanEnv(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new CliError(`${name} must be true or false, got "${value}"`, 2);
}

export function parseAccountId(value: string): string {
  if (!/^\d{12}$/.test(value))
    throw new CliError(`--account-id must be 12 digits, got "${value}"`, 2);
  return value;
}

/** A flag parser for whole numbers within bounds, with one clear line when it is not one. */
export function wholeNumberFlag(
  flag: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d{1,15}$/.test(value) || number < min || number > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;
      throw new CliError(`${flag} must be a whole number, ${range}; got "${value}"`, 2);
    }
    return number;
  };
}

/** A flag parser for text that must not be empty (a name, a label). */
export function nonEmptyFlag(flag: string): (value: string) => string {
  return (value) => {
    if (value.trim() === "") throw new CliError(`${flag} must not be empty`, 2);
    return value;
  };
}

/** A flag parser for a share from 0 to 1 (a rate of failures on purpose, say). */
export function shareFlag(flag: string): (value: string) => number {
  return (value) => {
    const share = Number(value);
    // Decimal only: Number() also reads "0x1" and "1e0", which nobody means as a share.
    if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) || share < 0 || share > 1) {
      throw new CliError(`${flag} must be a number from 0 to 1, got "${value}"`, 2);
    }
    return share;
  };
}

/** The longest duration a flag takes: 24 days, within what a timer can wait (2^31-1 ms, about 24.8 days). */
export const MAX_DURATION_MS = 24 * 86_400_000;

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** A duration as a person writes it: the largest unit that divides it. */
function formatDuration(ms: number): string {
  if (ms === 0) return "0";
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms % DURATION_UNITS_MS[unit] === 0) return `${ms / DURATION_UNITS_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * A flag parser for a duration, returned in milliseconds: a number in the
 * flag's own unit (`unit`, what its name or `<ms>`/`<s>` says), or a number
 * with a unit of its own (`500ms`, `30s`, `5m`, `2h`, `1d`), so every
 * command's durations read the same way. From `minMs` to `maxMs` (at most
 * 24 days, which a timer can still wait).
 */
export function durationFlag(
  flag: string,
  {
    unit,
    minMs = 0,
    maxMs = MAX_DURATION_MS,
  }: { unit: "ms" | "s"; minMs?: number; maxMs?: number },
): (value: string) => number {
  const max = Math.min(maxMs, MAX_DURATION_MS);
  return (value) => {
    const match = /^(\d{1,12}(?:\.\d{1,3})?)(ms|s|m|h|d)?$/.exec(value.trim());
    const amount = match ? Number(match[1]) : NaN;
    const ms = Math.round(amount * DURATION_UNITS_MS[(match?.[2] ?? unit) as DurationUnit]);
    // Less than a millisecond would round to 0, which some flags read as "no limit".
    if (amount > 0 && ms === 0) {
      throw new CliError(
        `${flag} is counted in whole milliseconds and "${value}" is less than 1 ms (give 0, or at least 1ms)`,
        2,
      );
    }
    if (!(ms >= minMs && ms <= max)) {
      throw new CliError(
        `${flag} must be a duration from ${formatDuration(minMs)} to ${formatDuration(max)} ` +
          `(${unit === "ms" ? "milliseconds" : "seconds"}, or a number with ms, s, m, h or d), got "${value}"`,
        2,
      );
    }
    return ms;
  };
}

/**
 * A flag parser for seconds, fractions allowed (`--idle-timeout 0.5`), or a
 * duration with its unit (`5m`, `500ms`); returned in seconds.
 */
export function secondsFlag(
  flag: string,
  { min = 0, max = 86_400 }: { min?: number; max?: number } = {},
): (value: string) => number {
  const parse = durationFlag(flag, { unit: "s", minMs: min * 1000, maxMs: max * 1000 });
  return (value) => parse(value) / 1000;
}

/**
 * A flag parser for whole seconds, as SQS takes waits, visibility timeouts
 * and delays: `30`, or with a unit (`30s`, `5m`); `1500ms` is refused.
 */
export function wholeSecondsFlag(
  flag: string,
  { min = 0, max }: { min?: number; max: number },
): (value: string) => number {
  const parse = durationFlag(flag, { unit: "s", minMs: min * 1000, maxMs: max * 1000 });
  return (value) => {
    const ms = parse(value);
    if (ms % 1000 !== 0) throw new CliError(`${flag} must be whole seconds, got "${value}"`, 2);
    return ms / 1000;
  };
}

/** The broker and its console cannot share a port (0, any free port, is two different ones). */
export function checkPortsDiffer(port: number, consolePort: number | undefined): void {
  if (port !== 0 && consolePort === port) {
    throw new CliError(`--console-port must differ from --port (both are ${port})`, 2);
  }
}
