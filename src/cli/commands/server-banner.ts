import type { BrokerAddress } from "../../broker/broker-options.ts";
import { isEveryInterface } from "../../broker/create-broker.ts";

export interface ServerBannerFacts {
  readonly address: BrokerAddress;
  /** Where the queues are kept, for people: a database file, or in memory. */
  readonly storage: string;
  /** `--queue-url-base`, when given. */
  readonly queueUrlBase: string | undefined;
  readonly accountId: string;
  /** What `serverAuth` says of the authentication in force. */
  readonly authentication: string;
}

/** The lines `mailroom server` prints once it listens. */
export function serverBanner(facts: ServerBannerFacts): string {
  const { address } = facts;
  // Bound to every interface, the broker has no one address: say so, and give this machine's.
  const everywhere = isEveryInterface(address.host);
  const where = (url: string): string =>
    everywhere ? `every interface (${address.host}); from this machine ${url}` : url;
  const queueUrlStart =
    facts.queueUrlBase ??
    (everywhere ? `http://<the host a client connects to>:${address.port}` : address.endpoint);
  return (
    `Mailroom SQS broker listening on ${where(address.endpoint)}\n` +
    `  storage: ${facts.storage}\n` +
    `  queue URLs: ${queueUrlStart}/${facts.accountId}/<queue-name>\n` +
    `  authentication: ${facts.authentication}\n` +
    (address.consoleUrl === undefined
      ? "  console: off (--no-console)\n"
      : `Mailroom console on ${where(address.consoleUrl)}\n`)
  );
}
