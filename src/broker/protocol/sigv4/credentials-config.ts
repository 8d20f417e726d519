import { parseConfigText } from "../../config-text.ts";
import type { Credential } from "./signed-request.ts";

/** A credentials file or environment that cannot be used; the message is one line. */
export class CredentialsConfigError extends Error {
  override readonly name = "CredentialsConfigError";
}

/** Letters, digits, `_ - .`: no `/`, which would split the SigV4 credential scope. */
const ACCESS_KEY_ID = /^[A-Za-z0-9_.-]+$/;
const ACCESS_KEY_ID_RULE = `may only contain letters, digits, "_", "-" and "."`;
const ACCOUNT_ID = /^\d{12}$/;
const FIELDS = new Set(["accessKeyId", "secretAccessKey", "accountId"]);

/**
 * Parses and checks the text of a file of access keys the broker accepts,
 * JSON when `source` ends in `.json`, else YAML:
 *
 * ```yaml
 * credentials:
 *   - accessKeyId: AKIAMAILROOMEXAMPLE
 *     secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
 *     accountId: "000000000000"   # optional; 12 digits, quoted in YAML
 * ```
 *
 * `source` names the file in errors, which are one line:
 * `creds.yaml: credentials[0]: "secretAccessKey" is required`.
 *
 * @param defaultAccountId The account of entries without `accountId` (the broker's).
 * @throws CredentialsConfigError
 */
export function parseCredentialsConfig(
  text: string,
  source: string,
  defaultAccountId: string,
): Credential[] {
  const data = parseConfigText(text, source, (message) => new CredentialsConfigError(message));
  const list = (data as { credentials?: unknown } | null)?.credentials;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CredentialsConfigError(`${source}: expected a non-empty "credentials" list`);
  }
  const credentials = list.map((entry, i) =>
    checkEntry(entry, `${source}: credentials[${i}]`, defaultAccountId),
  );
  const seen = new Set<string>();
  credentials.forEach(({ accessKeyId }, i) => {
    if (seen.has(accessKeyId)) {
      throw new CredentialsConfigError(
        `${source}: credentials[${i}]: accessKeyId "${accessKeyId}" is listed twice`,
      );
    }
    seen.add(accessKeyId);
  });
  return credentials;
}

/**
 * The access key from the environment: `MAILROOM_ACCESS_KEY_ID` and
 * `MAILROOM_SECRET_ACCESS_KEY`, both or neither; empty variables count as
 * unset. The key belongs to the broker's account (`--account-id`, which
 * `MAILROOM_ACCOUNT_ID` already sets).
 *
 * @param accountId The broker's account.
 * @returns One credential, or none when neither variable is set.
 * @throws CredentialsConfigError
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  accountId: string,
): Credential[] {
  const accessKeyId = env.MAILROOM_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.MAILROOM_SECRET_ACCESS_KEY || undefined;
  if (accessKeyId === undefined && secretAccessKey === undefined) return [];
  if (accessKeyId === undefined) {
    throw new CredentialsConfigError(
      "MAILROOM_SECRET_ACCESS_KEY is set but MAILROOM_ACCESS_KEY_ID is not",
    );
  }
  if (secretAccessKey === undefined) {
    throw new CredentialsConfigError(
      "MAILROOM_ACCESS_KEY_ID is set but MAILROOM_SECRET_ACCESS_KEY is not",
    );
  }
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new CredentialsConfigError(`MAILROOM_ACCESS_KEY_ID: ${ACCESS_KEY_ID_RULE}`);
  }
  return [{ accessKeyId, secretAccessKey, accountId }];
}

function checkEntry(value: unknown, where: string, defaultAccountId: string): Credential {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CredentialsConfigError(`${where}: expected an object`);
  }
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).find((key) => !FIELDS.has(key));
  if (unknown !== undefined)
    throw new CredentialsConfigError(`${where}: unknown field "${unknown}"`);
  const { accessKeyId, secretAccessKey, accountId } = entry;
  for (const [field, text] of [
    ["accessKeyId", accessKeyId],
    ["secretAccessKey", secretAccessKey],
  ] as const) {
    if (text === undefined || text === null || text === "") {
      throw new CredentialsConfigError(`${where}: "${field}" is required`);
    }
    if (typeof text !== "string") {
      throw new CredentialsConfigError(`${where}: "${field}" must be a string`);
    }
  }
  if (!ACCESS_KEY_ID.test(accessKeyId as string)) {
    throw new CredentialsConfigError(`${where}: "accessKeyId" ${ACCESS_KEY_ID_RULE}`);
  }
  if (accountId !== undefined && (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId))) {
    // YAML reads an unquoted 000000000000 as the number 0: say how to write it.
    throw new CredentialsConfigError(
      `${where}: "accountId" must be 12 digits in quotes, e.g. "000000000000"`,
    );
  }
  return {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
    accountId: (accountId as string | undefined) ?? defaultAccountId,
  };
}
