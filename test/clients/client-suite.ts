import { after, before } from "node:test";
import { systemClock } from "../../src/broker/engine/clock.ts";
import type { BrokerOptions } from "../../src/broker/broker-options.ts";
import { startTestBroker } from "../support/broker-harness.ts";
import type { TestBroker } from "../support/broker-harness.ts";
import { createClientEnvironment, SIGNED_BROKER } from "./client-environment.ts";
import type { ClientEnvironment } from "./client-environment.ts";

/** What a third-party client's tests run against: a broker, and the client's environment. */
export interface ClientSuite {
  readonly broker: TestBroker;
  readonly client: ClientEnvironment;
}

/**
 * Registers the enclosing suite's hooks: before its tests, a broker in
 * memory on the real clock that checks SigV4 (the client key and the
 * harness's) and a fresh client environment; after them, both gone. Read
 * the fields inside a test, once `before` has run.
 */
export function signedBrokerSuite(): ClientSuite {
  return brokerSuite(SIGNED_BROKER);
}

/**
 * The same with a broker that checks no signatures, as a local broker on
 * loopback does by default: for a client whose signer cannot sign for a
 * local host.
 */
export function openBrokerSuite(): ClientSuite {
  return brokerSuite({});
}

function brokerSuite(auth: Pick<BrokerOptions, "auth">): ClientSuite {
  let broker: TestBroker | undefined;
  let client: ClientEnvironment | undefined;
  before(async () => {
    broker = await startTestBroker({ clock: systemClock, inMemory: true, ...auth });
    client = createClientEnvironment();
  });
  after(async () => {
    await broker?.close();
    client?.remove();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the client suite's broker has not started");
    return value;
  };
  return {
    get broker() {
      return started(broker);
    },
    get client() {
      return started(client);
    },
  };
}
