/**
 * The bare AWS SDK side of the pipeline bench, one process of it: receive
 * up to 10 messages (long poll), delete them in one batch, again, with no
 * widget work, until SIGTERM. Whatever a consumer built on the SDK does
 * beyond this is the pipeline's own cost.
 *
 * Run as `node --import tsx bench/pipeline/bare-sdk-drainer.ts <endpoint-url>
 * <queue-url> <wait-seconds>`. After each batch it prints a line on stdout
 * (`processedLine`), for the bench to take the rate from.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { DEFAULT_REGION } from "../../src/apps/aws/aws-connection.ts";
import { createSqsClient } from "../../src/apps/aws/sqs-client.ts";
import { processedLine } from "./processing-rate.ts";

async function drain(endpointUrl: string, queueUrl: string, waitSeconds: number): Promise<void> {
  // Same client settings as the consumer's (region, endpoint, stand-in credentials).
  const sqs = createSqsClient({ region: DEFAULT_REGION, endpointUrl });
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort());
  try {
    while (!stop.signal.aborted) {
      // The consumer's receive, parameter for parameter, so both parse the same answers.
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: stop.signal },
      );
      if (Messages.length === 0) continue;
      // Not abortable: messages in hand are deleted before stopping, as a consumer does.
      const { Successful = [] } = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
      process.stdout.write(processedLine({ time: Date.now(), count: Successful.length }));
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    sqs.destroy();
  }
}

const [endpointUrl, queueUrl, waitSeconds] = process.argv.slice(2);
if (endpointUrl === undefined || queueUrl === undefined || waitSeconds === undefined) {
  process.stderr.write("usage: bare-sdk-drainer.ts <endpoint-url> <queue-url> <wait-seconds>\n");
  process.exitCode = 2;
} else {
  drain(endpointUrl, queueUrl, Number(waitSeconds)).catch((error: unknown) => {
    process.stderr.write(
      `bare-sdk-drainer: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
