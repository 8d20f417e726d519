import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { sqsClient } from "../support/broker-harness.ts";
import { createBroker } from "../../src/broker/create-broker.ts";
import { serverAuth } from "../../src/cli/commands/server-auth.ts";
import { serverBanner } from "../../src/cli/commands/server-banner.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** The endpoint line; bound to every interface, it names that, then this machine's address. */
const ENDPOINT_LINE =
  /^Mailroom SQS broker listening on (?:every interface \(0\.0\.0\.0\); from this machine )?(http:\/\/127\.0\.0\.1:(\d+))$/m;
const STOPPED_LINE = /^Mailroom SQS broker stopped$/m;
const STACK_FRAME = /^\s+at .+/m;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunningServer {
  child: ChildProcess;
  endpoint: string;
  port: number;
  exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
}

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const clients: SQSClient[] = [];

after(async () => {
  for (const sqs of clients) sqs.destroy();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The user `nobody`, as the system names it. */
function nobody(): RunAs {
  const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }));
  return { uid: id("-u"), gid: id("-g") };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-cli-"));
  tempDirs.push(dir);
  return dir;
}

function client(endpoint: string): SQSClient {
  const sqs = sqsClient(endpoint);
  clients.push(sqs);
  return sqs;
}

/** `mailroom server ...args` with only the MAILROOM_* variables given here. */
/** Another user to run the server as (`uid` and `gid`; only root may). */
interface RunAs {
  uid: number;
  gid: number;
}

function spawnCli(args: string[], env: Record<string, string> = {}, as?: RunAs) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MAILROOM_")),
  );
  const child = spawn(process.execPath, ["bin/mailroom.js", "server", ...args], {
    cwd: REPO,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...as,
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Starts the server on `dataDir`, on a random port, logging warnings only. */
function startOnDataDir(dataDir: string, ...args: string[]): Promise<RunningServer> {
  return startServer(["--port", "0", "--data-dir", dataDir, ...args, "--log-level", "warn"]);
}

/** Runs a command that should fail at once; kills it if it is still running after `limitMs`. */
async function runToExit(
  args: string[],
  env: Record<string, string> = {},
  limitMs = 30_000,
  as?: RunAs,
): Promise<Exit> {
  const run = spawnCli(args, env, as);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), limitMs);
  const exit = await run.exited;
  clearTimeout(timer);
  return exit;
}

/** Starts the server and resolves once it has printed its endpoint. */
async function startServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const run = spawnCli(args, env);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = ENDPOINT_LINE.exec(run.stdout());
    if (match) return { ...run, endpoint: match[1]!, port: Number(match[2]) };
    if (run.child.exitCode !== null || run.child.signalCode !== null) {
      const exit = await run.exited;
      throw new Error(
        `server exited (${exit.code ?? exit.signal}) before listening: ${exit.stderr}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`server did not print its endpoint in 30 s: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits (bounded) for `pattern` on the server's stdout, which may arrive in several writes. */
async function waitForStdout(
  server: RunningServer,
  pattern: RegExp,
  withinMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!pattern.test(server.stdout())) {
    if (Date.now() > deadline) assert.fail(`stdout never matched ${pattern}: ${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends `signal` and waits for the exit, failing if it takes longer than `withinMs`. */
async function stopWith(
  server: RunningServer,
  signal: NodeJS.Signals,
  withinMs = 15_000,
): Promise<Exit> {
  server.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no exit within ${withinMs} ms of ${signal}`)),
      withinMs,
    );
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() !== "");
}

/** Exactly one line on stderr, no stack trace, nothing on stdout, a non-zero exit. */
function assertOneLineFailure(exit: Exit, ...patterns: RegExp[]): string {
  const lines = errorLines(exit.stderr);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${exit.stderr}`);
  assert.doesNotMatch(exit.stderr, STACK_FRAME, "no stack trace");
  assert.doesNotMatch(exit.stdout, ENDPOINT_LINE, "never listened");
  assert.notEqual(exit.code, 0, "non-zero exit");
  assert.notEqual(exit.code, null, "exited on its own, not by a signal");
  for (const pattern of patterns) assert.match(lines[0]!, pattern);
  return lines[0]!;
}

/** A port that is free right now, found by binding port 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("mailroom server", () => {
  describe("start and stop", () => {
    it("prints its endpoint, serves SQS, logs JSON on stderr, and stops cleanly on SIGTERM", async () => {
      const dataDir = tempDir();
      const server = await startServer(["--port", "0", "--data-dir", dataDir]);
      const sqs = client(server.endpoint);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "served" }));
      assert.equal(QueueUrl, `${server.endpoint}/000000000000/served`);
      await waitForStdout(server, /storage: .*mailroom\.db/);

      const exit = await stopWith(server, "SIGTERM");

      assert.equal(exit.code, 0, `exit 0; stderr: ${exit.stderr}`);
      assert.equal(exit.signal, null);
      assert.match(exit.stdout, STOPPED_LINE);
      for (const line of errorLines(exit.stderr)) {
        assert.doesNotThrow(() => JSON.parse(line), `stderr is JSON lines, got: ${line}`);
      }
      assert.ok(existsSync(join(dataDir, "mailroom.db")), "the database is in --data-dir");
    });

    it("stops cleanly on SIGINT", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--log-level", "warn"]);
      await client(server.endpoint).send(new ListQueuesCommand({}));

      const exit = await stopWith(server, "SIGINT");

      assert.equal(exit.code, 0, `exit 0; stderr: ${exit.stderr}`);
      assert.match(exit.stdout, STOPPED_LINE);
      assert.equal(exit.stderr, "", "nothing on stderr at --log-level warn");
    });

    it("stops promptly with a keep-alive client connected and a long poll waiting", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--log-level", "warn"]);
      const sqs = client(server.endpoint);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "waiting" }));
      const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then(
        (output) => output.Messages ?? [],
        () => "connection closed",
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      // Well under the 20 s long poll and the 65 s keep-alive timeout.
      const exit = await stopWith(server, "SIGTERM", 10_000);

      assert.equal(exit.code, 0, `exit 0; stderr: ${exit.stderr}`);
      // The waiting long poll was answered, empty, before the connection closed.
      assert.deepEqual(await poll, []);
    });

    it("keeps what was sent across a SIGTERM and a restart on the same --data-dir", async () => {
      const dataDir = tempDir();
      const first = await startOnDataDir(dataDir);
      const sqs = client(first.endpoint);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "kept" }));
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "still here" }));
      sqs.destroy();
      assert.equal((await stopWith(first, "SIGTERM")).code, 0);

      // Without the payload cache, so the message is read back from the database.
      const second = await startOnDataDir(dataDir, "--payload-cache-mb", "0");
      const again = client(second.endpoint);
      const url = (await again.send(new GetQueueUrlCommand({ QueueName: "kept" }))).QueueUrl!;
      const { Messages = [] } = await again.send(new ReceiveMessageCommand({ QueueUrl: url }));
      assert.equal(Messages[0]?.MessageId, sent.MessageId);
      assert.equal(Messages[0]?.Body, "still here");
      assert.equal((await stopWith(second, "SIGTERM")).code, 0);
    });
    it("refuses a data dir whose redrive policies name another region or account, instead of redriving nothing", async () => {
      // Given a data dir with a queue and its dead-letter queue, written for us-east-1
      const dataDir = tempDir();
      const first = await startOnDataDir(dataDir);
      const sqs = client(first.endpoint);
      const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: "src-dlq" }))).QueueUrl!;
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }),
      );
      const RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: Attributes!.QueueArn,
        maxReceiveCount: 1,
      });
      await sqs.send(new CreateQueueCommand({ QueueName: "src", Attributes: { RedrivePolicy } }));
      sqs.destroy();
      assert.equal((await stopWith(first, "SIGTERM")).code, 0);

      // When it is started again for another region, then it says so in one line
      const line = assertOneLineFailure(
        await runToExit(["--port", "0", "--data-dir", dataDir, "--region", "eu-west-1"]),
        /written for region us-east-1 and account 000000000000/,
        /not region eu-west-1/,
      );
      assert.match(line, /start the broker with that region and account/);
    });
  });

  describe("bad input gets one clear line", { concurrency: 4 }, () => {
    it("--port abc", async () => {
      assertOneLineFailure(await runToExit(["--port", "abc", "--in-memory"]), /--port/, /abc/);
    });

    it("--port 70000", async () => {
      assertOneLineFailure(await runToExit(["--port", "70000", "--in-memory"]), /--port/, /70000/);
    });

    it("--bogus", async () => {
      assertOneLineFailure(await runToExit(["--bogus", "--in-memory"]), /--bogus/);
    });

    it("--account-id 12", async () => {
      assertOneLineFailure(
        await runToExit(["--account-id", "12", "--in-memory"]),
        /--account-id/,
        /12 digits/,
      );
    });

    it("--region that names no region, and in MAILROOM_REGION", async () => {
      const exit = await runToExit(["--region", "BAD REGION!", "--port", "0", "--in-memory"]);
      assertOneLineFailure(exit, /--region/, /BAD REGION!/);
      assert.equal(exit.code, 2);
      assertOneLineFailure(
        await runToExit(["--port", "0", "--in-memory"], { MAILROOM_REGION: "us east" }),
        /MAILROOM_REGION/,
        /us east/,
      );
    });

    it("--queue-url-base with a path", async () => {
      assertOneLineFailure(
        await runToExit(["--queue-url-base", "http://sqs.test/queues", "--in-memory"]),
        /--queue-url-base/,
        /may not have a path/,
      );
    });

    it("--log-level loud", async () => {
      assertOneLineFailure(
        await runToExit(["--log-level", "loud", "--in-memory"]),
        /--log-level/,
        /loud/,
      );
    });

    it("--payload-cache-mb -1, and a word in MAILROOM_PAYLOAD_CACHE_MB", async () => {
      assertOneLineFailure(
        await runToExit(["--payload-cache-mb", "-1", "--in-memory"]),
        /--payload-cache-mb/,
        /-1/,
      );
      assertOneLineFailure(
        await runToExit(["--port", "0", "--in-memory"], { MAILROOM_PAYLOAD_CACHE_MB: "lots" }),
        /^mailroom: MAILROOM_PAYLOAD_CACHE_MB must be/,
        /lots/,
      );
    });

    it("an invalid boolean in MAILROOM_IN_MEMORY", async () => {
      const exit = await runToExit(["--port", "0"], { MAILROOM_IN_MEMORY: "maybe" });
      assertOneLineFailure(exit, /MAILROOM_IN_MEMORY/, /maybe/);
    });

    it("a port already in use: exit 1", async () => {
      const blocker: NetServer = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const { port } = blocker.address() as AddressInfo;
      try {
        const exit = await runToExit(["--port", String(port), "--in-memory", "--no-console"]);
        assertOneLineFailure(exit, new RegExp(String(port)), /in use/);
        assert.equal(exit.code, 1);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });

    it("a --data-dir that cannot be created: one line naming it and the cause", async () => {
      // A file where a folder is wanted, and a path under /proc (where Node's
      // recursive mkdir would never return).
      const file = join(tempDir(), "a-file");
      writeFileSync(file, "");
      for (const dataDir of [join(file, "data"), file, "/proc/mailroom-nope/data"]) {
        const exit = await runToExit(["--port", "0", "--data-dir", dataDir], {}, 60_000);
        const line = assertOneLineFailure(exit, /cannot use the data directory/);
        assert.ok(line.includes(dataDir), line);
      }
    });

    it("a --data-dir whose database is damaged: one line saying so", async () => {
      // Given a database with queues, pages 2 to 5 of which were overwritten
      const dataDir = join(tempDir(), "damaged");
      const broker = createBroker({
        dataDir,
        provisioning: { queues: [{ name: "kept" }, { name: "also-kept" }] },
      });
      await broker.close();
      const fd = openSync(join(dataDir, "mailroom.db"), "r+");
      writeSync(fd, Buffer.alloc(4 * 4096, 0xff), 0, 4 * 4096, 4096);
      closeSync(fd);

      // Then the server stops with one line naming the folder and the damage
      const exit = await runToExit(["--port", "0", "--data-dir", dataDir, "--no-console"]);
      const line = assertOneLineFailure(exit, /cannot use the data directory/, /damaged/);
      assert.ok(line.includes(dataDir), line);
    });

    it("a --data-dir whose database may not be written: one line, not a broker failing every request", async () => {
      // Given a data dir whose database file is write-protected
      const parent = tempDir();
      const dataDir = join(parent, "read-only");
      const broker = createBroker({ dataDir, provisioning: { queues: [{ name: "kept" }] } });
      await broker.close();
      chmodSync(join(dataDir, "mailroom.db"), 0o444);
      // Root writes any file: then the server runs as nobody, owning the folder and its files
      const as = process.getuid?.() === 0 ? nobody() : undefined;
      if (as !== undefined) {
        chmodSync(parent, 0o755);
        for (const path of [dataDir, ...readdirSync(dataDir).map((name) => join(dataDir, name))]) {
          chownSync(path, as.uid, as.gid);
        }
      }

      // Then the server stops with one line saying so (SQLite opened the file read-only)
      const exit = await runToExit(["--port", "0", "--data-dir", dataDir], {}, 30_000, as);
      const line = assertOneLineFailure(exit, /cannot use the data directory/, /read-only/);
      assert.ok(line.includes(dataDir), line);
      assert.equal(exit.code, 1);
    });

    it("--headers-timeout 0 and --max-connections none", async () => {
      assertOneLineFailure(
        await runToExit(["--headers-timeout", "0", "--in-memory"]),
        /--headers-timeout/,
      );
      assertOneLineFailure(
        await runToExit(["--max-connections", "none", "--in-memory"]),
        /--max-connections/,
        /none/,
      );
    });

    it("--headers-timeout longer than --request-timeout, both given: one line naming both, exit 2", async () => {
      const exit = await runToExit(["--port", "0", "--in-memory", "--request-timeout", "5"], {
        MAILROOM_HEADERS_TIMEOUT: "20",
      });
      assertOneLineFailure(
        exit,
        /^mailroom: MAILROOM_HEADERS_TIMEOUT 20 is longer than --request-timeout 5/,
      );
      assert.equal(exit.code, 2);
    });

    it("a refused timeout creates nothing: no data dir, no queue of the config", () => {
      const dataDir = join(tempDir(), "never-made");
      assert.throws(
        () =>
          createBroker({
            dataDir,
            provisioning: { queues: [{ name: "not-made" }] },
            http: { headersTimeoutMs: 20_000, requestTimeoutMs: 5_000 },
          }),
        RangeError,
      );
      assert.ok(!existsSync(dataDir), "nothing was created");
    });

    it("a --data-dir another running server is using", async () => {
      const dataDir = tempDir();
      const first = await startOnDataDir(dataDir);
      // Two brokers on one database would each hand out the same messages.
      const exit = await runToExit(["--port", "0", "--data-dir", dataDir], {}, 60_000);
      assertOneLineFailure(exit, /in use|locked/);
      // The first server still serves.
      await client(first.endpoint).send(new ListQueuesCommand({}));
      assert.equal((await stopWith(first, "SIGTERM")).code, 0);
    });
  });

  describe("environment variables", () => {
    it("MAILROOM_PORT, MAILROOM_IN_MEMORY, MAILROOM_DATA_DIR, MAILROOM_ACCOUNT_ID and MAILROOM_REGION are honoured", async () => {
      const dataDir = tempDir();
      const port = await freePort();
      const server = await startServer([], {
        MAILROOM_PORT: String(port),
        // A fixed port puts the console on 9325, which another test may hold.
        MAILROOM_CONSOLE_PORT: "0",
        MAILROOM_IN_MEMORY: "true",
        MAILROOM_DATA_DIR: dataDir,
        MAILROOM_ACCOUNT_ID: "123456789012",
        MAILROOM_REGION: "ap-southeast-2",
        MAILROOM_LOG_LEVEL: "warn",
      });
      assert.equal(server.port, port);
      await waitForStdout(server, /in memory/);
      const sqs = client(server.endpoint);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "from-env" }));
      assert.equal(QueueUrl, `${server.endpoint}/123456789012/from-env`);
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      assert.equal(Attributes?.QueueArn, "arn:aws:sqs:ap-southeast-2:123456789012:from-env");
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
      assert.ok(!existsSync(join(dataDir, "mailroom.db")), "in memory: no database written");
    });

    it("MAILROOM_DATA_DIR is where the database goes without MAILROOM_IN_MEMORY", async () => {
      const dataDir = join(tempDir(), "nested", "data");
      const server = await startServer(["--port", "0"], {
        MAILROOM_DATA_DIR: dataDir,
        MAILROOM_LOG_LEVEL: "warn",
      });
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
      assert.ok(existsSync(join(dataDir, "mailroom.db")));
    });

    it("a request timeout under the default headers timeout, alone, brings the headers timeout down with it", async () => {
      for (const [args, env] of [
        [["--request-timeout", "5"], {}],
        [[], { MAILROOM_REQUEST_TIMEOUT: "5" }],
        // And a headers timeout over the default request timeout raises it.
        [["--headers-timeout", "90"], {}],
      ] as const) {
        const server = await startServer(
          ["--port", "0", "--in-memory", "--log-level", "warn", ...args],
          env,
        );
        await client(server.endpoint).send(new ListQueuesCommand({}));
        assert.equal((await stopWith(server, "SIGTERM")).code, 0);
      }
    });

    it("a flag wins over its environment variable", async () => {
      const server = await startServer(["--port", "0", "--in-memory"], {
        MAILROOM_PORT: "not-a-port",
        MAILROOM_LOG_LEVEL: "warn",
      });
      assert.ok(server.port > 0);
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
    });
  });

  describe("authentication", () => {
    it("refuses a non-loopback --host without credentials, before listening", async () => {
      const exit = await runToExit(["--host", "0.0.0.0", "--port", "0", "--in-memory"]);
      assertOneLineFailure(
        exit,
        /refusing to serve 0\.0\.0\.0 without authentication/,
        /--auth none/,
      );
      assert.equal(exit.code, 2);
    });

    it("--auth sigv4 without credentials, and unusable credentials files: one line each", async () => {
      assertOneLineFailure(
        await runToExit(["--auth", "sigv4", "--port", "0", "--in-memory"]),
        /--auth sigv4 needs credentials/,
      );
      const missing = join(tempDir(), "absent.yaml");
      assertOneLineFailure(
        await runToExit(["--credentials", missing, "--port", "0", "--in-memory"]),
        /cannot read --credentials/,
      );
      // Named as it was given: by its environment variable
      assertOneLineFailure(
        await runToExit(["--port", "0", "--in-memory"], { MAILROOM_CREDENTIALS: missing }),
        /^mailroom: cannot read MAILROOM_CREDENTIALS /,
      );
      const incomplete = join(tempDir(), "keys.yaml");
      writeFileSync(incomplete, "credentials:\n  - accessKeyId: AKIAONE\n");
      assertOneLineFailure(
        await runToExit(["--credentials", incomplete, "--port", "0", "--in-memory"]),
        /keys\.yaml: credentials\[0\]: "secretAccessKey" is required/,
      );
    });

    it("turns SigV4 on with keys in the environment: signed clients served, unsigned refused", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--log-level", "warn"], {
        MAILROOM_ACCESS_KEY_ID: "AKIDMAILROOMTEST",
        MAILROOM_SECRET_ACCESS_KEY: "secret",
      });
      await waitForStdout(server, /authentication: SigV4 \(1 access key\)/);
      // The harness's client signs with exactly these keys.
      await client(server.endpoint).send(new ListQueuesCommand({}));
      const unsigned = await fetch(`${server.endpoint}/?Action=ListQueues`);
      assert.equal(unsigned.status, 403);
      assert.match(await unsigned.text(), /MissingAuthenticationToken/);
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
    });

    it("on every interface, the banner says so and gives this machine's address", () => {
      // The banner itself: a test binds loopback only, never every interface.
      const banner = serverBanner({
        address: {
          host: "0.0.0.0",
          port: 9324,
          endpoint: "http://127.0.0.1:9324",
          consoleUrl: "http://127.0.0.1:9325/",
        },
        storage: "in memory (nothing survives a restart)",
        queueUrlBase: undefined,
        accountId: "000000000000",
        authentication: "none",
      });
      assert.equal(
        banner,
        "Mailroom SQS broker listening on every interface (0.0.0.0); from this machine http://127.0.0.1:9324\n" +
          "  storage: in memory (nothing survives a restart)\n" +
          "  queue URLs: http://<the host a client connects to>:9324/000000000000/<queue-name>\n" +
          "  authentication: none\n" +
          "Mailroom console on every interface (0.0.0.0); from this machine http://127.0.0.1:9325/\n",
      );
    });

    it("warns at every start when --auth none serves a non-loopback host", () => {
      const settled = serverAuth({ auth: "none", host: "0.0.0.0", accountId: "000000000000" }, {});
      assert.deepEqual(settled.auth, { mode: "none" });
      assert.match(settled.warning ?? "", /anyone who can reach it/);
      const local = serverAuth({ host: "127.0.0.1", accountId: "000000000000" }, {});
      assert.equal(local.auth, undefined);
      assert.equal(local.warning, undefined);
    });
  });

  describe("--config", () => {
    const ARN = "arn:aws:sqs:us-east-1:000000000000:";

    async function queueState(sqs: SQSClient, name: string) {
      const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
      );
      const { Tags = {} } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
      return { QueueUrl, attributes: Attributes, tags: Tags };
    }

    it("examples/mailroom.yaml creates its queues; a second start with it keeps them as they are", async () => {
      const dataDir = tempDir();
      const args = [
        "--port",
        "0",
        "--data-dir",
        dataDir,
        "--config",
        "examples/mailroom.yaml",
        "--log-level",
        "warn",
      ];
      const first = await startServer(args);
      const sqs = client(first.endpoint);

      const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
      const names = QueueUrls.map((url) => url.slice(url.lastIndexOf("/") + 1)).sort();
      assert.deepEqual(names, [
        "cs5260-requests",
        "cs5260-requests-dlq",
        "csse6400_prac",
        "csse6400_prac.fifo",
      ]);

      const fifo = await queueState(sqs, "csse6400_prac.fifo");
      assert.equal(fifo.attributes.FifoQueue, "true");
      assert.equal(fifo.attributes.ContentBasedDeduplication, "true");
      const requests = await queueState(sqs, "cs5260-requests");
      assert.equal(requests.attributes.VisibilityTimeout, "30");
      assert.deepEqual(JSON.parse(requests.attributes.RedrivePolicy!), {
        deadLetterTargetArn: `${ARN}cs5260-requests-dlq`,
        maxReceiveCount: 5,
      });
      assert.equal(requests.tags.course, "cs5260");
      const dlq = await queueState(sqs, "cs5260-requests-dlq");
      assert.equal(dlq.attributes.MessageRetentionPeriod, "1209600");
      assert.equal((await queueState(sqs, "csse6400_prac")).tags.course, "csse6400");

      // Given a user changes a provisioned queue
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: requests.QueueUrl,
          Attributes: { VisibilityTimeout: "90" },
        }),
      );
      sqs.destroy();
      assert.equal((await stopWith(first, "SIGTERM")).code, 0);

      // When the server starts again with the same config
      const second = await startServer(args);
      const again = client(second.endpoint);

      // Then it starts, the queues are there, and the change is kept
      const { QueueUrls: after = [] } = await again.send(new ListQueuesCommand({}));
      assert.equal(after.length, 4);
      const kept = await queueState(again, "cs5260-requests");
      assert.equal(kept.attributes.VisibilityTimeout, "90");
      assert.equal(kept.attributes.RedrivePolicy, requests.attributes.RedrivePolicy);
      assert.equal((await stopWith(second, "SIGTERM")).code, 0);
    });

    it("a declared queue deleted less than a minute before a restart is created again", async () => {
      // Given a provisioned queue that a client deletes, then a restart at once
      const dataDir = tempDir();
      const file = join(dataDir, "queues.yaml");
      writeFileSync(file, "queues:\n  - name: jobs\n");
      const args = ["--port", "0", "--data-dir", dataDir, "--config", file, "--log-level", "warn"];
      const first = await startServer(args);
      const sqs = client(first.endpoint);
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "jobs" }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      assert.equal((await stopWith(first, "SIGTERM")).code, 0);

      // When it starts again within the minute, then it starts and the queue is back
      const second = await startServer(args);
      const again = client(second.endpoint);
      await again.send(new GetQueueUrlCommand({ QueueName: "jobs" }));
      assert.equal((await stopWith(second, "SIGTERM")).code, 0);
    });

    it("examples/mailroom.json works too (and MAILROOM_CONFIG names it)", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--log-level", "warn"], {
        MAILROOM_CONFIG: "examples/mailroom.json",
      });
      const sqs = client(server.endpoint);
      const fifo = await queueState(sqs, "csse6400_prac.fifo");
      assert.equal(fifo.attributes.ContentBasedDeduplication, "true");
      const requests = await queueState(sqs, "cs5260-requests");
      assert.equal(JSON.parse(requests.attributes.RedrivePolicy!).maxReceiveCount, 5);
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
    });

    describe("a broken config file gets one clear line", { concurrency: 4 }, () => {
      const write = (name: string, text: string) => {
        const file = join(tempDir(), name);
        writeFileSync(file, text);
        return file;
      };

      it("invalid YAML", async () => {
        const file = write("broken.yaml", "queues:\n  - name: [oops\n    attributes: {\n");
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory", "--config", file]),
          /broken\.yaml/,
        );
      });

      it("invalid JSON", async () => {
        const file = write("broken.json", '{"queues": [{"name": "a",}]}');
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory", "--config", file]),
          /broken\.json/,
        );
      });

      it("a missing file, named as it was given", async () => {
        const file = join(tempDir(), "absent.yaml");
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory", "--config", file]),
          /^mailroom: cannot read --config .*absent\.yaml/,
        );
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory"], { MAILROOM_CONFIG: file }),
          /^mailroom: cannot read MAILROOM_CONFIG .*absent\.yaml/,
        );
      });

      it("a queue SQS would refuse", async () => {
        const file = write(
          "refused.yaml",
          "queues:\n  - name: ok\n    attributes: { VisibilityTimeout: 99999 }\n",
        );
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory", "--config", file]),
          /ok/,
          /VisibilityTimeout/,
        );
      });

      it("an unknown field", async () => {
        const file = write("typo.yaml", "queues:\n  - name: a\n    tag: { x: y }\n");
        assertOneLineFailure(
          await runToExit(["--port", "0", "--in-memory", "--config", file]),
          /typo\.yaml/,
          /"tag"/,
        );
      });

      it("a queue SQS would refuse names the file and the queue, and leaves nothing created", async () => {
        // Given a durable data dir and a config whose last queue is refused
        const dataDir = tempDir();
        const file = write(
          "late.yaml",
          "queues:\n  - name: first\n  - name: last\n    attributes: { Bogus: 1 }\n",
        );
        const exit = await runToExit(["--port", "0", "--data-dir", dataDir, "--config", file]);
        assertOneLineFailure(exit, /^mailroom: .*late\.yaml: queue "last": /, /Bogus/);
        assert.equal(exit.code, 2);

        // Then a start without it finds no queue
        const server = await startOnDataDir(dataDir);
        const { QueueUrls = [] } = await client(server.endpoint).send(new ListQueuesCommand({}));
        assert.deepEqual(QueueUrls, []);
        assert.equal((await stopWith(server, "SIGTERM")).code, 0);
      });
    });
  });

  describe("the web console", () => {
    it("prints the console's address, a free port with --port 0, and serves the page there", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--log-level", "warn"]);
      await waitForStdout(server, /^Mailroom console on http:\/\/127\.0\.0\.1:\d+\/$/m);
      const consoleUrl = /^Mailroom console on (\S+)$/m.exec(server.stdout())![1]!;
      assert.notEqual(new URL(consoleUrl).port, String(server.port));
      const page = await fetch(consoleUrl);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>Mailroom console<\/title>/);
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
    });

    it("--no-console serves none and says so", async () => {
      const server = await startServer(["--port", "0", "--in-memory", "--no-console"]);
      await waitForStdout(server, /^ {2}console: off \(--no-console\)$/m);
      assert.doesNotMatch(server.stdout(), /Mailroom console on/);
      assert.equal((await stopWith(server, "SIGTERM")).code, 0);
    });

    it("a --console-port already in use: one line naming the flag, exit 1", async () => {
      const blocker: NetServer = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const { port } = blocker.address() as AddressInfo;
      try {
        const exit = await runToExit([
          "--port",
          "0",
          "--in-memory",
          "--console-port",
          String(port),
        ]);
        assertOneLineFailure(exit, /--console-port/, new RegExp(`${port} is already in use`));
        assert.equal(exit.code, 1);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });
  });
});
