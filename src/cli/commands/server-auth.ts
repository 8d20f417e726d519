import { readFileSync } from "node:fs";
import { isLoopbackHost } from "../../web/loopback.ts";
import type { BrokerAuth } from "../../broker/auth-policy.ts";
import {
  credentialsFromEnv,
  parseCredentialsConfig,
} from "../../broker/protocol/sigv4/credentials-config.ts";
import { CliError } from "../cli-error.ts";

export type AuthFlag = "sigv4" | "none";

/** The server's authentication, settled from its flags and environment. */
export interface ServerAuth {
  /** Undefined: the broker's default (open on loopback, refused elsewhere). */
  auth: BrokerAuth | undefined;
  /** What the start-up lines say about it. */
  summary: string;
  /** A warning to print at every start, when anyone on the network may call. */
  warning?: string;
}

/**
 * `--auth` and `--credentials`: access keys come from the file, else from
 * MAILROOM_ACCESS_KEY_ID / MAILROOM_SECRET_ACCESS_KEY; having keys turns
 * SigV4 on unless `--auth none` says otherwise. `credentialsSetting` is how
 * the file was named (`--credentials` or `MAILROOM_CREDENTIALS`), for errors.
 */
export function serverAuth(
  flags: { auth?: AuthFlag; credentials?: string; host: string; accountId: string },
  env: NodeJS.ProcessEnv,
  credentialsSetting = "--credentials",
): ServerAuth {
  const credentials =
    flags.credentials === undefined
      ? credentialsFromEnv(env, flags.accountId)
      : parseCredentialsConfig(
          readCredentials(flags.credentials, credentialsSetting),
          flags.credentials,
          flags.accountId,
        );
  const mode = flags.auth ?? (credentials.length > 0 ? "sigv4" : undefined);
  if (mode === "sigv4") {
    const keys = credentials.length === 1 ? "1 access key" : `${credentials.length} access keys`;
    return { auth: { mode, credentials }, summary: `SigV4 (${keys})` };
  }
  if (mode === "none" && !isLoopbackHost(flags.host)) {
    return {
      auth: { mode },
      summary: "none (--auth none)",
      warning: `serving ${flags.host} with --auth none: anyone who can reach it can read, send and delete every message`,
    };
  }
  return { auth: mode === undefined ? undefined : { mode }, summary: "none (loopback only)" };
}

function readCredentials(file: string, setting: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${setting} ${file}: ${(error as Error).message}`, 2);
  }
}
