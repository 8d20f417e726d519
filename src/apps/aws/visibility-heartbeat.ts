import { ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { queueNameOf } from "./queue-url.ts";
import { explainNoAnswer, sqsCallSignal } from "./sqs-call-deadline.ts";

/**
 * Keeps a message the worker holds hidden from other workers (a request from
 * other maker consumers while the maker makes it, and from other widget
 * consumers while it is applied): every half
 * visibility timeout it asks for a whole one again. Stopping it (job done,
 * or the process killed) lets the timeout run out, and then the message
 * comes back for another worker: a job killed mid-run is not lost.
 *
 * The returned stop settles once no renewal is on the wire any more: a
 * caller about to set the message's visibility itself (a retry's delay)
 * awaits it, or a renewal landing after that change would overwrite the
 * delay with one visibility timeout. A renewal SQS does not answer is given
 * up after 10 s ({@link sqsCallSignal}), so a stop never waits longer for it.
 */
export function keepHidden(
  sqs: SQSClient,
  queueUrl: string,
  receiptHandle: string,
  visibilitySeconds: number,
  logger: Logger,
): () => Promise<void> {
  // One renewal at a time: a tick while one is still on the wire is skipped,
  // so a slow SQS does not pile them up, and a stop has only that one to await
  // (an older renewal landing after a newer one would overwrite a retry's delay).
  let renewal: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (renewal !== undefined) return;
      renewal = sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: visibilitySeconds,
          }),
          { abortSignal: sqsCallSignal() },
        )
        .then(
          () => {},
          (error: unknown) => {
            logger.warn(
              { err: explainNoAnswer(error, "change visibility on", queueNameOf(queueUrl)) },
              "cannot extend a held message's visibility; another receiver may take it too",
            );
          },
        )
        .finally(() => {
          renewal = undefined;
        });
    },
    Math.max(250, (visibilitySeconds * 1000) / 2),
  );
  timer.unref();
  return () => {
    clearInterval(timer);
    return renewal ?? Promise.resolve();
  };
}
