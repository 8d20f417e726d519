import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrokerOptions } from "../../src/broker/broker-options.ts";
import { TEST_CREDENTIAL } from "../support/broker-harness.ts";

/**
 * The access key every third-party client signs with (from the environment
 * below), and a broker's options that accept only that key and the test
 * harness's own: clients run against a broker that checks SigV4 prove their
 * signers too.
 */
export const CLIENT_CREDENTIAL = {
  accessKeyId: "AKIDMAILROOMCLIENT",
  // Characters a signer must not escape or mangle in the secret.
  secretAccessKey: "mailroom/client+secret",
  accountId: "000000000000",
};
export const SIGNED_BROKER: Pick<BrokerOptions, "auth"> = {
  auth: { mode: "sigv4", credentials: [CLIENT_CREDENTIAL, TEST_CREDENTIAL] },
};

/** A temp folder and the environment a third-party client runs in. */
export interface ClientEnvironment {
  dir: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/**
 * An environment with the client key's credentials and no shared AWS config: the
 * config and credentials files and HOME point into a fresh temp folder, so
 * nothing from the developer's `~/.aws` or `~/.terraformrc` leaks in. Only
 * PATH is inherited; proxies are not (everything is on loopback).
 */
export function createClientEnvironment(extra: NodeJS.ProcessEnv = {}): ClientEnvironment {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-client-"));
  const home = join(dir, "home");
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    AWS_ACCESS_KEY_ID: CLIENT_CREDENTIAL.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CLIENT_CREDENTIAL.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(dir, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    PYTHONDONTWRITEBYTECODE: "1",
    ...extra,
  };
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Fails (never skips) when a Debian client is missing: `.ci/run` installs
 * these packages, so a missing one means the machine was not prepared.
 */
export function requireDebianFile(path: string, debianPackage: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install the Debian package ${debianPackage} ` +
        `(apt-get install -y ${debianPackage}; .ci/run does this)`,
    );
  }
}
