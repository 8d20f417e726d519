import { CliError } from "./cli-error.ts";

/** Reads a flag as a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new CliError(`--port must be a number from 0 to 65535, got "${value}"`, 2);
  }
  return port;
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

/** A flag parser for a duration in seconds (decimals allowed), within bounds. */
export function secondsFlag(
  flag: string,
  { min = 0, max = 86_400 }: { min?: number; max?: number } = {},
): (value: string) => number {
  return (value) => {
    const seconds = Number(value);
    if (!/^\d{1,6}(\.\d{1,3})?$/.test(value) || seconds < min || seconds > max) {
      throw new CliError(
        `${flag} must be a number of seconds, ${min} to ${max}; got "${value}"`,
        2,
      );
    }
    return seconds;
  };
}

/** A flag parser for a share from 0 to 1 (a rate of failures on purpose, say). */
export function shareFlag(flag: string): (value: string) => number {
  return (value) => {
    const share = Number(value);
    if (value.trim() === "" || !Number.isFinite(share) || share < 0 || share > 1) {
      throw new CliError(`${flag} must be a number from 0 to 1, got "${value}"`, 2);
    }
    return share;
  };
}
