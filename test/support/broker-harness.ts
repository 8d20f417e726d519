import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import type { Broker, BrokerOptions } from "../../src/broker/broker-options.ts";
import { createBroker } from "../../src/broker/create-broker.ts";
import { ManualClock } from "../../src/broker/engine/manual-clock.ts";

/** A broker serving on a random loopback port, with its clock in the test's hands. */
export interface TestBroker {
  endpoint: string;
  /** The web console's address, when started with `consolePort`. */
  consoleUrl: string | undefined;
  clock: ManualClock;
  /**
   * An SQS client pointed at the broker, speaking the protocol under test
   * (`testProtocol`); no retries, so errors surface as they are.
   */
  sqs: SQSClient;
  /** A queue name no other test uses; `.fifo` when asked. */
  uniqueName(prefix?: string, fifo?: boolean): string;
  /** Creates a queue with a unique name and returns its URL. */
  createQueue(attributes?: Record<string, string>, prefix?: string): Promise<string>;
  createFifoQueue(attributes?: Record<string, string>, prefix?: string): Promise<string>;
  /** The queue's three approximate counts (visible, not visible, delayed), as SQS reports them. */
  messageCounts(queueUrl: string): Promise<Record<string, string> | undefined>;
  close(): Promise<void>;
  broker: Broker;
}

/**
 * Set to `sqlite` to run the same tests on the durable store (a fresh data
 * dir per broker), as users run the broker: `npm test` runs the message and
 * protocol tests both ways.
 */
export const TEST_STORE_VARIABLE = "MAILROOM_TEST_STORE";

/**
 * Set to `query` to run the same tests with the SDK forced to the AWS Query
 * protocol (XML answers), as older SDKs, Debian's awscli and boto3 speak it:
 * `npm test` runs the message and protocol tests both ways.
 */
export const TEST_PROTOCOL_VARIABLE = "MAILROOM_TEST_PROTOCOL";

export type WireProtocolName = "json" | "query";

/** The protocol the harness's clients speak in this run. */
export const testProtocol: WireProtocolName =
  process.env[TEST_PROTOCOL_VARIABLE] === "query" ? "query" : "json";

/**
 * Starts a broker in-process over HTTP. In memory (unless
 * `MAILROOM_TEST_STORE=sqlite`) and with a ManualClock by default: visibility
 * timeouts, delays, retention and dedup windows are tested by
 * `clock.advance(ms)`, never by sleeping.
 */
export async function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const durable = process.env[TEST_STORE_VARIABLE] === "sqlite" && options.inMemory === undefined;
  const dataDir = durable ? mkdtempSync(join(tmpdir(), "mailroom-test-broker-")) : undefined;
  const broker = createBroker({
    inMemory: !durable,
    ...(dataDir === undefined ? {} : { dataDir }),
    host: "127.0.0.1",
    port: 0,
    clock,
    ...options,
  });
  const { endpoint, consoleUrl } = await broker.listen();
  const sqs = sqsClient(endpoint);
  const uniqueName = (prefix = "q", fifo = false) =>
    `${prefix}-${randomBytes(5).toString("hex")}${fifo ? ".fifo" : ""}`;
  const create = async (name: string, attributes: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  return {
    endpoint,
    consoleUrl,
    clock,
    sqs,
    broker,
    uniqueName,
    createQueue: (attributes = {}, prefix) => create(uniqueName(prefix), attributes),
    createFifoQueue: (attributes = {}, prefix) =>
      create(uniqueName(prefix, true), { FifoQueue: "true", ...attributes }),
    messageCounts: async (QueueUrl) =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: [
              "ApproximateNumberOfMessages",
              "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed",
            ],
          }),
        )
      ).Attributes,
    async close() {
      sqs.destroy();
      await broker.close();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The key the harness's clients sign with; a broker that checks SigV4 must list it to serve them. */
export const TEST_CREDENTIAL = {
  accessKeyId: "AKIDMAILROOMTEST",
  secretAccessKey: "secret",
  accountId: "000000000000",
};

/** An SQS client of the broker at `endpoint`, in the run's protocol unless told otherwise. */
export function sqsClient(endpoint: string, protocol: WireProtocolName = testProtocol): SQSClient {
  return new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: TEST_CREDENTIAL,
    maxAttempts: 1,
    ...(protocol === "query" ? queryProtocolSettings : {}),
  });
}

/** How an SDK v3 client is made to speak the Query protocol instead of JSON. */
export const queryProtocolSettings = {
  protocol: AwsQueryProtocol,
  protocolSettings: {
    defaultNamespace: "com.amazonaws.sqs",
    xmlNamespace: "http://queue.amazonaws.com/doc/2012-11-05/",
    version: "2012-11-05",
  },
};
