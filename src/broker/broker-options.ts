import type { BrokerAuth } from "./auth-policy.ts";
import type { Clock } from "./engine/clock.ts";
import type { IdSource } from "./engine/ids.ts";
import type { HttpLimits } from "./protocol/http-limits.ts";
import type { ProvisioningConfig } from "./provisioning/provisioning-config.ts";

/** How to build a broker. Every field has a default, so `createBroker()` serves SQS on 127.0.0.1:9324. */
export interface BrokerOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 9324. */
  port?: number;
  /**
   * Also serve the web console on this port (0 picks a free one), on the same
   * host: its files on GET, and the broker's API for every other request, so
   * the page calls the public SQS API on its own origin. Default: no console
   * (the `mailroom server` command serves it on 9325 unless `--no-console`).
   */
  consolePort?: number;
  /** Folder for the SQLite database. Default `./.mailroom`. Ignored with `inMemory`. */
  dataDir?: string;
  /** Keep everything in memory: nothing survives a restart. Default false. */
  inMemory?: boolean;
  /**
   * fsync every commit (SQLite `synchronous=FULL`), so acknowledged writes also
   * survive power loss, not only a crash of the broker. Default false: commits
   * survive the process being killed; see docs/broker.md.
   */
  fsync?: boolean;
  /**
   * Memory for the payloads of recently sent messages, so that receiving
   * them reads nothing back from the database (see PayloadCache). Default 64
   * MiB; 0 turns the cache off. Ignored with `inMemory`.
   */
  payloadCacheBytes?: number;
  /**
   * Longest wait, in ms, before a receive from a standard queue is written
   * (its visibility deadline and receive count), so that a message deleted
   * within that time costs no write for its receive; a crash in between
   * brings such a message back early. Default 1,000; 0 writes every receive
   * before answering it. Ignored with `inMemory`. See docs/broker.md.
   */
  receiveWriteDelayMs?: number;
  /** Region in queue ARNs. Default `us-east-1`. */
  region?: string;
  /** Account id in queue URLs and ARNs. Default `000000000000`. */
  accountId?: string;
  /**
   * Scheme, host and port of every queue URL handed out
   * (`https://sqs.example.com:8443`), whatever Host header a request came
   * with: for a broker behind a proxy or a port forward, or clients that
   * send Host without the port. Default: `http://` and each request's Host
   * header. createBroker throws RangeError when it is not such a URL.
   */
  queueUrlBase?: string;
  /**
   * Drop AWS's timing rules that get in a test's way: re-creating a queue
   * within 60 s of deleting it, and purging a queue twice within 60 s.
   * Default false (the rules are enforced).
   */
  relaxedTiming?: boolean;
  /** In-flight messages a queue may hold before receives get OverLimit. Default 120,000, as on AWS. */
  maxInFlight?: number;
  /**
   * Keep a standard queue's messages in arrival order within each receive.
   * Default false: like SQS ("best-effort ordering"), each receive answers its
   * messages in no particular order.
   */
  strictOrder?: boolean;
  /**
   * Who may call the broker: `{ mode: "sigv4", credentials }` verifies AWS
   * Signature Version 4 on every request. Default: open on a loopback host;
   * any other host needs credentials or an explicit `{ mode: "none" }`
   * (createBroker throws AuthConfigError otherwise).
   */
  auth?: BrokerAuth;
  /**
   * Timeouts and the connection cap of the HTTP front. Defaults: headers
   * 10 s, whole request 60 s, idle connection 65 s, connections as many as
   * the open-file limit allows (at most 16,384).
   */
  http?: Partial<HttpLimits>;
  /** Queues to create on start when missing. */
  provisioning?: ProvisioningConfig;
  /** Source of time; tests pass a ManualClock. Default: the system clock. */
  clock?: Clock;
  /** Source of message and move task ids; tests pass predictable ones. Default: random UUIDs. */
  ids?: IdSource;
  /** Where the broker reports what it does. Default: silent. */
  logger?: BrokerLogger;
}

/** A structured logger; pino-compatible in shape. */
export interface BrokerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface Broker {
  /** Starts serving; resolves with the bound address once listening. */
  listen(): Promise<BrokerAddress>;
  /** Stops accepting requests, answers pending long polls, commits and closes the store. */
  close(): Promise<void>;
}

export interface BrokerAddress {
  /** The address bound: `0.0.0.0` or `::` for every interface. */
  host: string;
  port: number;
  /** `http://host:port`, the endpoint to give an SQS client (loopback when bound to every interface). */
  endpoint: string;
  /** `http://host:port/`, the web console's address, when it is served. */
  consoleUrl?: string;
}
