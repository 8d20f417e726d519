import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import type { BrokerOptions } from "../../broker/broker-options.ts";
import {
  createBroker,
  DATABASE_FILE,
  DEFAULT_DATA_DIR,
  DEFAULT_CONSOLE_PORT,
  DEFAULT_HOST,
  DEFAULT_PAYLOAD_CACHE_BYTES,
  DEFAULT_RECEIVE_WRITE_DELAY_MS,
  DEFAULT_PORT,
} from "../../broker/create-broker.ts";
import { DEFAULT_LOCATION } from "../../broker/engine/queue-arn.ts";
import { serverBanner } from "./server-banner.ts";
import { DEFAULT_HTTP_LIMITS } from "../../broker/protocol/http-limits.ts";
import { parseQueueUrlBase } from "../../broker/protocol/queue-url-base.ts";
import { parseProvisioningConfig } from "../../broker/provisioning/provisioning-config.ts";
import type { ProvisioningConfig } from "../../broker/provisioning/provisioning-config.ts";
import { parseRegion } from "../aws-flags.ts";
import { CliError } from "../cli-error.ts";
import { listenFailure, settingName } from "../setting-names.ts";
import { untilStopped } from "../stop-on-signals.ts";
import { logFormatOption, logLevelOption } from "../log-flags.ts";
import { createLogger } from "../logger.ts";
import { serverAuth } from "./server-auth.ts";
import type { AuthFlag } from "./server-auth.ts";
import type { LogFlags } from "../logger.ts";
import {
  checkPortsDiffer,
  parseAccountId,
  parseBooleanEnv,
  portFlag,
  secondsFlag,
  wholeNumberFlag,
} from "../parse-flags.ts";

const MIB = 1024 * 1024;

interface ServerFlags extends LogFlags {
  host: string;
  port: number;
  consolePort?: number;
  /** False with `--no-console`. */
  console: boolean;
  dataDir: string;
  inMemory?: boolean;
  fsync?: boolean;
  payloadCacheMb: number;
  receiveWriteDelay: number;
  config?: string;
  region: string;
  accountId: string;
  queueUrlBase?: string;
  relaxedTiming?: boolean;
  strictOrder?: boolean;
  headersTimeout: number;
  requestTimeout: number;
  idleTimeout: number;
  maxConnections?: number;
  auth?: AuthFlag;
  credentials?: string;
}

/** `mailroom server`: runs the SQS-compatible broker until SIGINT or SIGTERM. */
export function serverCommand(): Command {
  return new Command("server")
    .description("run the SQS-compatible broker (AWS JSON 1.0 and Query protocols)")
    .addOption(
      new Option("--host <host>", "interface to bind").default(DEFAULT_HOST).env("MAILROOM_HOST"),
    )
    .addOption(
      new Option("--port <port>", "TCP port (0 picks a free one)")
        .default(DEFAULT_PORT)
        .env("MAILROOM_PORT")
        .argParser(portFlag("--port")),
    )
    .addOption(
      new Option(
        "--console-port <port>",
        `port of the web console (default: ${DEFAULT_CONSOLE_PORT}, or a free one with --port 0)`,
      )
        .env("MAILROOM_CONSOLE_PORT")
        .argParser(portFlag("--console-port")),
    )
    .addOption(new Option("--no-console", "serve no web console"))
    .addOption(
      new Option("--data-dir <dir>", "folder of the SQLite database")
        .default(DEFAULT_DATA_DIR)
        .env("MAILROOM_DATA_DIR"),
    )
    .addOption(
      booleanOption("--in-memory", "keep everything in memory; nothing survives a restart"),
    )
    .addOption(
      booleanOption("--fsync", "fsync every commit, so acknowledged writes survive power loss too"),
    )
    .addOption(
      new Option(
        "--payload-cache-mb <mib>",
        "memory for recently sent payloads, so receives read nothing back (0: off)",
      )
        .default(DEFAULT_PAYLOAD_CACHE_BYTES / MIB)
        .env("MAILROOM_PAYLOAD_CACHE_MB")
        .argParser(wholeNumberFlag("--payload-cache-mb", { max: 1 << 20 })),
    )
    .addOption(
      new Option(
        "--receive-write-delay <s>",
        "longest wait before a receive from a standard queue is written, so a prompt delete saves the write (0: before answering)",
      )
        .default(DEFAULT_RECEIVE_WRITE_DELAY_MS / 1000)
        .env("MAILROOM_RECEIVE_WRITE_DELAY")
        .argParser(secondsFlag("--receive-write-delay", { max: 60 })),
    )
    .addOption(
      new Option("--config <file>", "JSON or YAML file of queues to create on start").env(
        "MAILROOM_CONFIG",
      ),
    )
    .addOption(
      new Option("--region <region>", "region in queue ARNs")
        .default(DEFAULT_LOCATION.region)
        .env("MAILROOM_REGION")
        .argParser(parseRegion),
    )
    .addOption(
      new Option("--account-id <id>", "account id in queue URLs and ARNs")
        .default(DEFAULT_LOCATION.accountId)
        .env("MAILROOM_ACCOUNT_ID")
        .argParser(parseAccountId),
    )
    .addOption(
      new Option(
        "--queue-url-base <url>",
        "scheme, host and port of every queue URL handed out (e.g. behind a proxy); " +
          "default: http:// and the Host header of each request",
      )
        .env("MAILROOM_QUEUE_URL_BASE")
        .argParser(queueUrlBaseFlag),
    )
    .addOption(
      booleanOption(
        "--relaxed-timing",
        "allow re-creating a queue or purging again within 60 s (for tests)",
      ),
    )
    .addOption(
      booleanOption(
        "--strict-order",
        "answer each receive on a standard queue in arrival order (default: no particular order, as SQS)",
      ),
    )
    .addOption(
      new Option(
        "--auth <mode>",
        "who may call: sigv4 (requests signed with --credentials) or none (anyone); " +
          "default: sigv4 when credentials are given, else none on a loopback host",
      )
        .choices(["sigv4", "none"])
        .env("MAILROOM_AUTH"),
    )
    .addOption(
      new Option(
        "--credentials <file>",
        "YAML or JSON file of access keys (default: MAILROOM_ACCESS_KEY_ID and MAILROOM_SECRET_ACCESS_KEY)",
      ).env("MAILROOM_CREDENTIALS"),
    )
    .addOption(
      new Option("--headers-timeout <s>", "seconds a client has to send complete request headers")
        .default(DEFAULT_HTTP_LIMITS.headersTimeoutMs / 1000)
        .env("MAILROOM_HEADERS_TIMEOUT")
        .argParser(secondsFlag("--headers-timeout", { min: 0.1, max: 3600 })),
    )
    .addOption(
      new Option("--request-timeout <s>", "seconds a client has to send a whole request")
        .default(DEFAULT_HTTP_LIMITS.requestTimeoutMs / 1000)
        .env("MAILROOM_REQUEST_TIMEOUT")
        .argParser(secondsFlag("--request-timeout", { min: 0.1, max: 3600 })),
    )
    .addOption(
      new Option("--idle-timeout <s>", "seconds a connection may stay open with no request")
        .default(DEFAULT_HTTP_LIMITS.idleTimeoutMs / 1000)
        .env("MAILROOM_IDLE_TIMEOUT")
        .argParser(secondsFlag("--idle-timeout", { min: 0.1, max: 86_400 })),
    )
    .addOption(
      new Option(
        "--max-connections <n>",
        "open connections at most (default: what the open-file limit allows, up to 16384)",
      )
        .env("MAILROOM_MAX_CONNECTIONS")
        .argParser(wholeNumberFlag("--max-connections", { min: 1, max: 1_000_000 })),
    )
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .action(async (flags: ServerFlags, command: Command) =>
      runServer(withEnvironment(flags), command),
    );
}

/** The switches that an environment variable may also turn on or off. */
const BOOLEAN_VARIABLES = {
  inMemory: "MAILROOM_IN_MEMORY",
  fsync: "MAILROOM_FSYNC",
  relaxedTiming: "MAILROOM_RELAXED_TIMING",
  strictOrder: "MAILROOM_STRICT_ORDER",
} as const;

/**
 * A switch with its variable named in the help, as Commander names those it
 * reads itself. Commander's own `.env()` would take any value, "false" too,
 * as on; {@link withEnvironment} reads it as people write booleans.
 */
function booleanOption(flag: string, description: string): Option {
  const option = new Option(flag, description);
  const variable = BOOLEAN_VARIABLES[option.attributeName() as keyof typeof BOOLEAN_VARIABLES];
  option.description = `${description} (env: ${variable}=true)`;
  return option;
}

/** A switch not given as a flag is read from its variable (BOOLEAN_VARIABLES). */
function withEnvironment(flags: ServerFlags): ServerFlags {
  const read = (key: keyof typeof BOOLEAN_VARIABLES) =>
    flags[key] ?? parseBooleanEnv(BOOLEAN_VARIABLES[key], process.env[BOOLEAN_VARIABLES[key]]);
  return {
    ...flags,
    inMemory: read("inMemory"),
    fsync: read("fsync"),
    relaxedTiming: read("relaxedTiming"),
    strictOrder: read("strictOrder"),
  };
}

async function runServer(flags: ServerFlags, command: Command): Promise<void> {
  if (flags.console && flags.consolePort === undefined && flags.port === DEFAULT_CONSOLE_PORT) {
    throw new CliError(
      `--port ${flags.port} is the console's default port: give the console another with --console-port, or turn it off with --no-console`,
      2,
    );
  }
  if (flags.console) checkPortsDiffer(flags.port, consolePortOf(flags));
  const logger = createLogger("mailroom-server", flags);
  const { auth, summary, warning } = serverAuth(
    flags,
    process.env,
    settingName(command, "credentials"),
  );
  if (warning !== undefined) {
    // Said once on the terminal: by the log when it is on stderr and shows warnings, else plainly.
    const logged = logger.isLevelEnabled("warn");
    if (logged) logger.warn({ host: flags.host }, warning);
    if (!logged || flags.logFile !== undefined)
      process.stderr.write(`mailroom: warning: ${warning}\n`);
  }
  const options: BrokerOptions = {
    host: flags.host,
    port: flags.port,
    consolePort: flags.console ? consolePortOf(flags) : undefined,
    dataDir: flags.dataDir,
    inMemory: flags.inMemory ?? false,
    fsync: flags.fsync ?? false,
    payloadCacheBytes: flags.payloadCacheMb * MIB,
    receiveWriteDelayMs: flags.receiveWriteDelay * 1000,
    region: flags.region,
    accountId: flags.accountId,
    ...(flags.queueUrlBase === undefined ? {} : { queueUrlBase: flags.queueUrlBase }),
    relaxedTiming: flags.relaxedTiming ?? false,
    strictOrder: flags.strictOrder ?? false,
    http: {
      ...httpTimeouts(flags, command),
      idleTimeoutMs: flags.idleTimeout * 1000,
      ...(flags.maxConnections === undefined ? {} : { maxConnections: flags.maxConnections }),
    },
    provisioning: flags.config
      ? readProvisioning(flags.config, settingName(command, "config"))
      : undefined,
    ...(auth === undefined ? {} : { auth }),
    logger,
  };
  const broker = createBroker(options);
  const stopRequested = untilStopped();
  const address = await broker
    .listen()
    .catch((error: NodeJS.ErrnoException & { port?: number }) => {
      const consoleClash = error.port !== undefined && error.port === options.consolePort;
      throw listenFailure(error, {
        host: flags.host,
        port: consoleClash ? options.consolePort! : flags.port,
        setting: settingName(command, consoleClash ? "consolePort" : "port"),
      });
    });
  const storage = options.inMemory
    ? "in memory (nothing survives a restart)"
    : join(flags.dataDir, DATABASE_FILE);
  process.stdout.write(
    serverBanner({
      address,
      storage,
      queueUrlBase: flags.queueUrlBase,
      accountId: flags.accountId,
      authentication: summary,
    }),
  );

  const signal = await stopRequested;
  logger.info({ signal }, "shutting down");
  await broker.close();
  process.stdout.write("Mailroom SQS broker stopped\n");
}

/**
 * The headers and request timeouts that were given (a flag or its variable),
 * so the broker fits a default one to a given one (resolveHttpLimits); two
 * given that conflict are one line naming both, before anything is created.
 */
function httpTimeouts(
  flags: ServerFlags,
  command: Command,
): { headersTimeoutMs?: number; requestTimeoutMs?: number } {
  const given = (key: string) => command.getOptionValueSource(key) !== "default";
  if (
    given("headersTimeout") &&
    given("requestTimeout") &&
    flags.headersTimeout > flags.requestTimeout
  ) {
    throw new CliError(
      `${settingName(command, "headersTimeout")} ${flags.headersTimeout} is longer than ` +
        `${settingName(command, "requestTimeout")} ${flags.requestTimeout}: the headers are part of the request`,
      2,
    );
  }
  return {
    ...(given("headersTimeout") ? { headersTimeoutMs: flags.headersTimeout * 1000 } : {}),
    ...(given("requestTimeout") ? { requestTimeoutMs: flags.requestTimeout * 1000 } : {}),
  };
}

/** 9325 unless told otherwise; a broker on any free port gets its console on any free port too. */
function consolePortOf(flags: ServerFlags): number {
  return flags.consolePort ?? (flags.port === 0 ? 0 : DEFAULT_CONSOLE_PORT);
}

/** The `--config` file; `setting` is how it was named (the flag or MAILROOM_CONFIG), for errors. */
function readProvisioning(file: string, setting: string): ProvisioningConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${setting} ${file}: ${(error as Error).message}`, 2);
  }
  return parseProvisioningConfig(text, file);
}

/** `--queue-url-base`, read as the broker reads it; one line and exit 2 when it is not such a URL. */
function queueUrlBaseFlag(value: string): string {
  try {
    return parseQueueUrlBase(value);
  } catch (error) {
    throw new CliError(`--queue-url-base ${(error as Error).message}`, 2);
  }
}
