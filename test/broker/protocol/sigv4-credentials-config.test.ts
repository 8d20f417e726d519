import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CredentialsConfigError,
  credentialsFromEnv,
  parseCredentialsConfig,
} from "../../../src/broker/protocol/sigv4/credentials-config.ts";

const BROKER_ACCOUNT = "000000000000";

/** Runs `parse` and expects a CredentialsConfigError with exactly `message`, on one line. */
function assertConfigError(parse: () => unknown, message: string): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof CredentialsConfigError, `got ${String(error)}`);
    assert.equal(error.message, message);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

describe("parseCredentialsConfig", () => {
  it("reads YAML, giving entries without accountId the broker's account", () => {
    const credentials = parseCredentialsConfig(
      [
        "credentials:",
        "  - accessKeyId: AKIAMAILROOMEXAMPLE",
        "    secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        '    accountId: "123456789012"',
        "  - accessKeyId: test",
        "    secretAccessKey: test",
      ].join("\n"),
      "creds.yaml",
      BROKER_ACCOUNT,
    );
    assert.deepEqual(credentials, [
      {
        accessKeyId: "AKIAMAILROOMEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        accountId: "123456789012",
      },
      { accessKeyId: "test", secretAccessKey: "test", accountId: BROKER_ACCOUNT },
    ]);
  });

  it("reads JSON when the file name ends in .json", () => {
    const text = JSON.stringify({ credentials: [{ accessKeyId: "K", secretAccessKey: "S" }] });
    assert.deepEqual(parseCredentialsConfig(text, "creds.json", BROKER_ACCOUNT), [
      { accessKeyId: "K", secretAccessKey: "S", accountId: BROKER_ACCOUNT },
    ]);
  });

  it("names the file and the field in one-line errors", () => {
    const cases: [string, string][] = [
      [
        "credentials:\n  - accessKeyId: K",
        'creds.yaml: credentials[0]: "secretAccessKey" is required',
      ],
      [
        "credentials:\n  - { accessKeyId: K, secretAccessKey: S }\n  - secretAccessKey: S",
        'creds.yaml: credentials[1]: "accessKeyId" is required',
      ],
      [
        "credentials:\n  - { accessKeyId: K, secretAccessKey: 42 }",
        'creds.yaml: credentials[0]: "secretAccessKey" must be a string',
      ],
      [
        // Unquoted, YAML reads the account as the number 0.
        "credentials:\n  - { accessKeyId: K, secretAccessKey: S, accountId: 000000000000 }",
        'creds.yaml: credentials[0]: "accountId" must be 12 digits in quotes, e.g. "000000000000"',
      ],
      [
        'credentials:\n  - { accessKeyId: K, secretAccessKey: S, accountId: "1234" }',
        'creds.yaml: credentials[0]: "accountId" must be 12 digits in quotes, e.g. "000000000000"',
      ],
      [
        "credentials:\n  - { accessKeyId: AKIA/K, secretAccessKey: S }",
        'creds.yaml: credentials[0]: "accessKeyId" may only contain letters, digits, "_", "-" and "."',
      ],
      [
        "credentials:\n  - { accessKeyId: K, secretAccessKey: S, region: eu-west-2 }",
        'creds.yaml: credentials[0]: unknown field "region"',
      ],
      [
        "credentials:\n  - { accessKeyId: K, secretAccessKey: S }\n  - { accessKeyId: K, secretAccessKey: T }",
        'creds.yaml: credentials[1]: accessKeyId "K" is listed twice',
      ],
      ["credentials:\n  - just-a-key", "creds.yaml: credentials[0]: expected an object"],
      ["credentials: []", 'creds.yaml: expected a non-empty "credentials" list'],
      ["queues: []", 'creds.yaml: expected a non-empty "credentials" list'],
      ["", 'creds.yaml: expected a non-empty "credentials" list'],
    ];
    for (const [text, message] of cases) {
      assertConfigError(() => parseCredentialsConfig(text, "creds.yaml", BROKER_ACCOUNT), message);
    }
  });

  it("reports text that does not parse, with the parser's first line", () => {
    assert.throws(
      () => parseCredentialsConfig("{ credentials: [", "creds.json", BROKER_ACCOUNT),
      /^CredentialsConfigError: creds\.json: not valid JSON: /,
    );
    assert.throws(
      () => parseCredentialsConfig("credentials: [\n  - a: b", "creds.yaml", BROKER_ACCOUNT),
      (error: unknown) =>
        error instanceof CredentialsConfigError &&
        /^creds\.yaml: not valid YAML: [^\n]+$/.test(error.message),
    );
  });
});

describe("credentialsFromEnv", () => {
  it("reads one key pair, of the broker's account", () => {
    assert.deepEqual(
      credentialsFromEnv(
        { MAILROOM_ACCESS_KEY_ID: "AKIALOCAL", MAILROOM_SECRET_ACCESS_KEY: "secret", PATH: "/bin" },
        BROKER_ACCOUNT,
      ),
      [{ accessKeyId: "AKIALOCAL", secretAccessKey: "secret", accountId: BROKER_ACCOUNT }],
    );
  });

  it("leaves MAILROOM_ACCOUNT_ID alone: it is the broker's --account-id", () => {
    assert.deepEqual(
      credentialsFromEnv({ MAILROOM_ACCOUNT_ID: "123456789012" }, BROKER_ACCOUNT),
      [],
    );
  });

  it("returns nothing when no key is set, empty variables counting as unset", () => {
    assert.deepEqual(credentialsFromEnv({}, BROKER_ACCOUNT), []);
    assert.deepEqual(
      credentialsFromEnv(
        { MAILROOM_ACCESS_KEY_ID: "", MAILROOM_SECRET_ACCESS_KEY: "" },
        BROKER_ACCOUNT,
      ),
      [],
    );
  });

  it("refuses half a key pair or a bad account, naming the variable", () => {
    const cases: [Record<string, string>, string][] = [
      [
        { MAILROOM_ACCESS_KEY_ID: "AKIALOCAL" },
        "MAILROOM_ACCESS_KEY_ID is set but MAILROOM_SECRET_ACCESS_KEY is not",
      ],
      [
        { MAILROOM_SECRET_ACCESS_KEY: "secret" },
        "MAILROOM_SECRET_ACCESS_KEY is set but MAILROOM_ACCESS_KEY_ID is not",
      ],
      [
        { MAILROOM_ACCESS_KEY_ID: "a key", MAILROOM_SECRET_ACCESS_KEY: "S" },
        'MAILROOM_ACCESS_KEY_ID: may only contain letters, digits, "_", "-" and "."',
      ],
    ];
    for (const [env, message] of cases) {
      assertConfigError(() => credentialsFromEnv(env, BROKER_ACCOUNT), message);
    }
  });
});
