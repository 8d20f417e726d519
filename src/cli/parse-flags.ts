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
