import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { runCli } from "../support/cli-process.ts";

/** Every command answers a usage error the same way: one line on stderr, exit 2. */
describe("mailroom usage errors and --version", () => {
  it("prints the package's version with --version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const exit = await runCli(["--version"]);
    assert.equal(exit.code, 0);
    assert.equal(exit.stdout.trim(), version);
  });

  for (const args of [
    ["server", "--bogus"],
    ["consumer", "--bogus"],
    ["producer", "--bogus"],
    ["queue", "send"],
    ["barrier", "demo", "--bogus"],
    ["maker", "--bogus"],
    ["maker-consumer", "--bogus"],
    ["pipeline", "--bogus"],
    ["frobnicate"],
    ["serve"],
  ]) {
    it(`mailroom ${args.join(" ")}: one line, exit 2`, async () => {
      const exit = await runCli(args);
      assert.equal(exit.code, 2, exit.stderr);
      const lines = exit.stderr.trim().split("\n");
      assert.equal(lines.length, 1, exit.stderr);
      assert.match(lines[0]!, /^mailroom: .+ \(run with --help for usage\)$/);
    });
  }

  // The role is a subcommand: said so when options (or a role written as a
  // flag, as the course's programs take it) stand where the role should be.
  const help = " (run with --help for usage)";
  for (const [args, line] of [
    [
      ["queue", "--name", "X", "--client-name", "Y", "--receive"],
      "queue: the role is a subcommand, not --receive: mailroom queue receive --name X --client-name Y",
    ],
    [
      ["queue", "--receive=1", "--name", "X"],
      "queue: the role is a subcommand, not --receive=1: mailroom queue receive --name X",
    ],
    [
      ["queue", "--name", "X"],
      "queue: the role comes first: mailroom queue send|receive [options]",
    ],
    [["queue", "frob"], "queue: 'frob' is not a role: mailroom queue send|receive [options]"],
    [
      ["queue", "send", "--receive", "--name", "x"],
      "queue: --receive is a role of its own, not an option of send: one role a run, mailroom queue send|receive [options]",
    ],
    [
      ["barrier", "--participant", "--id", "p 1"],
      "barrier: the role is a subcommand, not --participant: mailroom barrier participant --id 'p 1'",
    ],
    [
      ["barrier", "--barrier", "b", "coordinator"],
      "barrier: the role comes first: mailroom barrier coordinator|participant|demo [options]",
    ],
    [
      ["barrier", "participiant"],
      "barrier: 'participiant' is not a role: mailroom barrier coordinator|participant|demo [options]",
    ],
    [["todo", "demoo"], "todo: 'demoo' is not a subcommand: mailroom todo [demo] [options]"],
  ] as const) {
    it(`mailroom ${args.join(" ")}: one line naming the subcommands, exit 2`, async () => {
      const exit = await runCli(args);
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(exit.stderr, `mailroom: ${line}${help}\n`);
    });
  }

  it("still prints a role's help with `help <role>`, and the command's help when given nothing", async () => {
    const role = await runCli(["queue", "help", "receive"]);
    assert.equal(role.code, 0, role.stderr);
    assert.match(role.stdout, /^Usage: mailroom queue receive \[options\]$/m);
    const bare = await runCli(["barrier"]);
    assert.equal(bare.code, 2, bare.stderr);
    assert.match(bare.stderr, /^Usage: mailroom barrier \[options\] \[command\]$/m);
    assert.match(bare.stderr, /^ {2}help \[command\] /m);
  });

  const scratch = mkdtempSync(join(tmpdir(), "mailroom-usage-"));
  const aFile = join(scratch, "a-file");
  writeFileSync(aFile, "");
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const folderArgs = [
    "--request-dir",
    join(scratch, "requests"),
    "--widget-dir",
    join(scratch, "w"),
  ];
  /** Nothing listens there: a consumer that got past its flags fails at once. */
  const deadEndpoint = ["--endpoint-url", "http://127.0.0.1:1"];
  const prefixRule =
    "must be folder names under --widget-dir (no leading /, no . or .. parts, not .mailroom/, the store's own folder)";
  for (const [args, line] of [
    ...["../outside/", "/abs/", ".mailroom/w/", "a/./b/", ".mailroom"].map(
      (prefix) =>
        [
          ["consumer", ...folderArgs, "--widget-key-prefix", prefix],
          `mailroom: --widget-key-prefix ${JSON.stringify(prefix)} ${prefixRule}`,
        ] as const,
    ),
    [
      ["consumer", ...folderArgs, "-qvt", "0"],
      'mailroom: --queue-visibility-timeout must be a duration from 1s to 12h (seconds, or a number with ms, s, m, h or d), got "0"',
    ],
    // A flag the chosen source or store would ignore (the --max-runtime and the dead
    // endpoint only keep a consumer that took it short)
    ...(
      [
        [["-wkp", "w/"], "--widget-key-prefix"],
        [["--no-use-owner-in-prefix"], "--no-use-owner-in-prefix"],
        [["-uop"], "--use-owner-in-prefix"],
      ] as const
    ).map(
      ([flag, name]) =>
        [
          ["consumer", ...folderArgs.slice(0, 2), "-dwt", "widgets", ...flag, ...deadEndpoint],
          `mailroom: ${name} has no effect with --dynamodb-widget-table, whose items are keyed by the widget id alone; leave it out`,
        ] as const,
    ),
    [
      ["consumer", ...folderArgs, "-qwt", "5", "--max-runtime", "2000"],
      "mailroom: --queue-wait-timeout has no effect with --request-dir, which is looked at again every 100 ms (it is the long-poll wait of a queue's receives); leave it out",
    ],
    [
      ["consumer", "-rb", "b", ...folderArgs.slice(2), "-qwt", "5", ...deadEndpoint],
      "mailroom: --queue-wait-timeout has no effect with --request-bucket, which is looked at again every 100 ms (it is the long-poll wait of a queue's receives); leave it out",
    ],
    [
      ["consumer", "-rb", "b", ...folderArgs.slice(2), "-qvt", "5", ...deadEndpoint],
      "mailroom: --queue-visibility-timeout has no effect with --request-bucket, whose requests are deleted as they are taken, not hidden; leave it out",
    ],
    ...(["--request-bucket", "--widget-bucket"] as const).map(
      (flag) =>
        [
          ["consumer", flag, "s3://b/requests", ...folderArgs.slice(2)],
          `mailroom: ${flag} names a bucket, as name or s3://name, without a key or prefix; got "s3://b/requests"`,
        ] as const,
    ),
    [
      ["consumer", ...folderArgs, "--max-runtime", "99999999999"],
      'mailroom: --max-runtime must be a duration from 0 to 24d (milliseconds, or a number with ms, s, m, h or d), got "99999999999"',
    ],
    [
      ["maker-consumer", "--request-queue", "a", "--response-queue", "b", "--request-timeout", "0"],
      'mailroom: --request-timeout must be a duration from 1ms to 1h (seconds, or a number with ms, s, m, h or d), got "0"',
    ],
    [
      ["producer", "--request-dir", join(scratch, "p"), "-ird", "99999999999"],
      'mailroom: --inter-request-delay must be a duration from 0 to 1h (milliseconds, or a number with ms, s, m, h or d), got "99999999999"',
    ],
    [
      ["producer", "--request-dir", join(scratch, "p"), "-mwr", "0"],
      'mailroom: --max-widget-requests must be a whole number, 1 to 10000000; got "0"',
    ],
    [
      ["consumer", ...folderArgs, "--log-file", join(aFile, "log.json")],
      `mailroom: cannot write --log-file ${join(aFile, "log.json")}: ${aFile} is a file, not a folder`,
    ],
    [
      ["consumer", ...folderArgs, "--stats-file", scratch],
      `mailroom: cannot write --stats-file ${scratch}: it is a directory`,
    ],
    [
      ["queue", "send", "--name", "q", "--client-name", " "],
      "mailroom: --client-name must not be empty",
    ],
    [
      ["queue", "send", "--name", "q", "--client-name", ""],
      'mailroom: --client-name needs a value, got ""',
    ],
    [
      ["queue", "send", "--name", "q", "--client-name", "c", "--region", ""],
      'mailroom: --region needs a value, got ""',
    ],
    [
      ["pipeline", "--console-port", "9000"],
      "mailroom: --console-port is the console's port with --keep-up; add --keep-up",
    ],
    [
      ["maker-consumer", "--request-queue", "q", "--response-queue", "q"],
      "mailroom: --request-queue and --response-queue are the same queue (q): each response would be read as a new request",
    ],
    [
      ["pipeline", "--port", "9000", "--keep-up", "--console-port", "9000"],
      "mailroom: --console-port must differ from --port (both are 9000)",
    ],
    [
      ["server", "--in-memory", "--port", "9001", "--console-port", "9001"],
      "mailroom: --console-port must differ from --port (both are 9001)",
    ],
    [
      ["server", "--in-memory", "--port", "9325"],
      "mailroom: --port 9325 is the console's default port: give the console another with --console-port, or turn it off with --no-console",
    ],
    [
      ["barrier", "coordinator", "--participants", "2", "--timeout", "0"],
      'mailroom: --timeout must be a duration from 1ms to 1d (seconds, or a number with ms, s, m, h or d), got "0"',
    ],
  ] as const) {
    it(`mailroom ${args.map((arg) => arg.replace(scratch, "<tmp>")).join(" ")}: one line naming the flag, exit 2`, async () => {
      const exit = await runCli(args);
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(exit.stderr.trim().split("\n").at(-1), line);
    });
  }

  for (const [args, env, line] of [
    [
      ["consumer", ...folderArgs.slice(2), "--sqs-endpoint-url", "ftp://x", "-rq", "q"],
      {},
      'mailroom: --sqs-endpoint-url must be an http(s) URL such as http://127.0.0.1:9324, got "ftp://x"',
    ],
    [
      ["consumer", ...folderArgs],
      { MAILROOM_S3_ENDPOINT_URL: "bogus" },
      'mailroom: MAILROOM_S3_ENDPOINT_URL must be an http(s) URL such as http://127.0.0.1:9324, got "bogus"',
    ],
    [
      ["server", "--in-memory"],
      { MAILROOM_PORT: "http" },
      'mailroom: MAILROOM_PORT must be a number from 0 to 65535, got "http"',
    ],
    [
      ["maker", "--data-dir", scratch],
      { MAILROOM_MAKER_PORT: "65536" },
      'mailroom: MAILROOM_MAKER_PORT must be a number from 0 to 65535, got "65536"',
    ],
    // A flag left without its value: Commander would take the next flag as the value
    [
      ["server", "--port", "0", "--data-dir", "--in-memory"],
      {},
      "mailroom: --data-dir needs a value, got the flag --in-memory",
    ],
    [
      ["producer", "--request-dir", "-r", "us-east-1"],
      {},
      "mailroom: --request-dir needs a value, got the flag -r",
    ],
    [
      ["consumer", ...folderArgs, "-qvt", "1500ms"],
      {},
      'mailroom: --queue-visibility-timeout must be whole seconds, got "1500ms"',
    ],
    [
      ["maker", "--fail-rate", "0x1"],
      {},
      'mailroom: --fail-rate must be a number from 0 to 1, got "0x1"',
    ],
    [
      ["consumer", ...folderArgs, "--log-file", ""],
      {},
      'mailroom: --log-file needs a value, got ""',
    ],
    [
      ["server", "--in-memory", "--port", "0"],
      { MAILROOM_DATA_DIR: "" },
      "mailroom: MAILROOM_DATA_DIR is set but empty; give it a value or unset it",
    ],
  ] as const) {
    it(`${Object.keys(env).join(" ")} mailroom ${args.map((arg) => arg.replace(scratch, "<tmp>")).join(" ")}: one line naming the setting given, exit 2`, async () => {
      const exit = await runCli(args, { env });
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(exit.stderr, `${line}\n`);
    });
  }

  it("names the setting that chose a port already in use: the flag, or its environment variable", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      for (const [args, env, setting] of [
        [["server", "--in-memory", "--port", String(port)], {}, "--port"],
        [
          ["server", "--in-memory", "--no-console"],
          { MAILROOM_PORT: String(port) },
          "MAILROOM_PORT",
        ],
        [
          ["server", "--in-memory", "--port", "0"],
          { MAILROOM_CONSOLE_PORT: String(port) },
          "MAILROOM_CONSOLE_PORT",
        ],
        [
          ["maker", "--data-dir", scratch],
          { MAILROOM_MAKER_PORT: String(port) },
          "MAILROOM_MAKER_PORT",
        ],
      ] as const) {
        const exit = await runCli(args, { env });
        assert.equal(exit.code, 1, exit.stderr);
        assert.equal(
          exit.stderr,
          `mailroom: 127.0.0.1:${port} is already in use; choose another ${setting}\n`,
        );
      }
    } finally {
      taken.close();
    }
  });

  it("says which widget store has no credentials, with the line SQS's would give (exit 1)", async () => {
    const home = join(scratch, "home-without-aws");
    mkdirSync(home, { recursive: true });
    const exit = await runCli(
      [
        "consumer",
        "--request-dir",
        join(scratch, "requests"),
        "-dwt",
        "widgets",
        "--region",
        "us-east-1",
      ],
      {
        env: {
          AWS_ACCESS_KEY_ID: "",
          AWS_SECRET_ACCESS_KEY: "",
          AWS_PROFILE: "",
          AWS_EC2_METADATA_DISABLED: "true",
          HOME: home,
          AWS_CONFIG_FILE: join(home, "none"),
          AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
        },
      },
    );
    assert.equal(exit.code, 1, exit.stderr);
    assert.equal(
      exit.stderr,
      "mailroom: cannot use the widget store widgets (DynamoDB): no AWS credentials for DynamoDB: " +
        "set AWS_PROFILE or AWS_ACCESS_KEY_ID, pass --profile with a profile that exists, or use --endpoint-url for a local service\n",
    );
  });

  it("says in one line that a todo app's or worker's --data-dir or --calendar-dir is a file (exit 1)", async () => {
    for (const command of [["todo", "--port", "0"], ["worker"]]) {
      const exit = await runCli([...command, "--data-dir", aFile]);
      assert.equal(exit.code, 1, exit.stderr);
      assert.equal(
        exit.stderr,
        `mailroom: cannot open ${aFile}/jobs.db: ${aFile}, or a folder above it, is a file\n`,
      );
    }
    // A calendar folder that cannot be is said at start, not at the first render
    const calendars = join(aFile, "calendars");
    const worker = await runCli([
      ...["worker", "--data-dir", join(scratch, "worker"), "--calendar-dir", calendars],
    ]);
    assert.equal(worker.code, 1, worker.stderr);
    assert.equal(
      worker.stderr,
      `mailroom: cannot use the calendar folder: ${calendars}, or a folder above it, is a file\n`,
    );
  });

  it("says in one line that a consumer's --request-dir or --widget-dir is a file (exit 1)", async () => {
    const requests = join(aFile, "requests");
    const widgets = join(scratch, "consumer-widgets");
    const [source, store] = await Promise.all([
      runCli(["consumer", "--request-dir", requests, "--widget-dir", widgets, "-mrt", "5s"]),
      runCli(["consumer", "--request-dir", join(scratch, "rq"), "--widget-dir", aFile]),
    ]);
    assert.equal(source.code, 1, source.stderr);
    assert.equal(
      source.stderr,
      `mailroom: cannot use the request folder ${requests}: ${requests}, or a folder above it, is a file\n`,
    );
    assert.equal(store.code, 1, store.stderr);
    const location = join(aFile, "widgets/");
    assert.equal(
      store.stderr,
      `mailroom: cannot use the widget store ${location} (the local folder): ${location}, or a folder above it, is a file\n`,
    );
  });

  it("names the missing package and `npm install` when run from a clone not yet installed", async () => {
    // bin/mailroom.js alone, beside an empty src/: no node_modules to find tsx in.
    const clone = mkdtempSync(join(tmpdir(), "mailroom-uninstalled-"));
    try {
      mkdirSync(join(clone, "bin"));
      mkdirSync(join(clone, "src"));
      copyFileSync("bin/mailroom.js", join(clone, "bin", "mailroom.js"));
      const exit = await promisify(execFile)(process.execPath, [
        join(clone, "bin", "mailroom.js"),
      ]).then(
        () => assert.fail("expected a non-zero exit"),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(exit.code, 1);
      assert.equal(
        exit.stderr,
        `mailroom: the package tsx is not installed; run \`npm install\` in ${clone}/ first\n`,
      );
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
