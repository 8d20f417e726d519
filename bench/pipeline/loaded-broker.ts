import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { DEFAULT_REGION } from "../../src/apps/aws/aws-connection.ts";
import { createSqsClient } from "../../src/apps/aws/sqs-client.ts";
import { openSqsRequestSink } from "../../src/apps/producer/sqs-request-sink.ts";
import { runProducer } from "../../src/apps/producer/run-producer.ts";
import { freePort } from "../servers/free-port.ts";
import { startMailroomServer } from "../targets/mailroom.ts";

/** A durable broker in its own process with a queue of the producer's widget requests. */
export interface LoadedBroker {
  readonly endpointUrl: string;
  readonly queueUrl: string;
  /** The broker's process. */
  readonly pid: number;
  /** The bench's own client, for watching the queue. */
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

/**
 * Starts a broker on `dataDir` and queues `requests` producer requests on it.
 * The seed is fixed, so every run of the bench drains the same requests.
 */
export async function startLoadedBroker(dataDir: string, requests: number): Promise<LoadedBroker> {
  const port = await freePort();
  const broker = await startMailroomServer(port, dataDir);
  const endpointUrl = `http://127.0.0.1:${port}`;
  const sqs = createSqsClient({ region: DEFAULT_REGION, endpointUrl });
  const close = async (): Promise<void> => {
    sqs.destroy();
    await broker.stop();
  };
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "bench-requests" }));
    const sink = await openSqsRequestSink({ sqs, queue: QueueUrl! });
    await runProducer({ count: requests, interRequestDelayMs: 0, seed: 5260, sinks: [sink] });
    return { endpointUrl, queueUrl: QueueUrl!, pid: broker.pid, sqs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
