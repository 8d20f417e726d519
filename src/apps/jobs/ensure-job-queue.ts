import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import { isMissingQueue } from "../aws/missing-queue.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { isAbortedCall, sqsCallSignal, sqsDidNotAnswer } from "../aws/sqs-call-deadline.ts";

export interface JobQueueSetup {
  /** Queue name; a `.fifo` name makes FIFO queues. */
  readonly name: string;
  /** Receives after which SQS moves a job to `<name>-dlq` itself (workers give up first). */
  readonly maxReceiveCount: number;
  /** The queue's visibility timeout, seconds. Default 30. */
  readonly visibilityTimeoutSeconds?: number;
}

/** The dead-letter queue's name for a job queue: `todo-calendars` -> `todo-calendars-dlq`. */
export function deadLetterQueueName(name: string): string {
  return name.endsWith(".fifo") ? `${name.slice(0, -5)}-dlq.fifo` : `${name}-dlq`;
}

/**
 * The job queue's URL, creating it and its dead-letter queue (with a redrive
 * policy) when it does not exist, so one command works on a fresh broker and
 * on AWS. An existing queue is used as it is, whatever its settings. A call
 * SQS does not answer within 10 s fails as `SQS did not answer within 10 s (set up <name>)`.
 */
export async function ensureJobQueue(
  sqs: SQSClient,
  setup: JobQueueSetup,
  /** Ends the set-up (a command stopped while starting); the caller reports that stop. */
  stop?: AbortSignal,
): Promise<string> {
  try {
    const existing = await queueUrl(sqs, setup.name, stop);
    if (existing !== undefined) return existing;
    const fifo = setup.name.endsWith(".fifo");
    const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: "true" } : {};
    const dlqName = deadLetterQueueName(setup.name);
    const dlqUrl =
      (await queueUrl(sqs, dlqName, stop)) ??
      (await create(sqs, stop, dlqName, { ...fifoAttributes, MessageRetentionPeriod: "1209600" }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      { abortSignal: sqsCallSignal({ stop }) },
    );
    return await create(sqs, stop, setup.name, {
      ...fifoAttributes,
      VisibilityTimeout: String(setup.visibilityTimeoutSeconds ?? 30),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes?.QueueArn,
        maxReceiveCount: setup.maxReceiveCount,
      }),
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isAbortedCall(error)) throw sqsDidNotAnswer("set up", setup.name, undefined);
    const described = describeConnectionError(error, "SQS");
    if (described instanceof AppError) throw described;
    throw new AppError(
      `cannot set up the job queue ${setup.name}: ${(error as Error).message}`,
      1,
      { cause: error },
    );
  }
}

async function queueUrl(
  sqs: SQSClient,
  name: string,
  stop: AbortSignal | undefined,
): Promise<string | undefined> {
  try {
    return (
      await sqs.send(new GetQueueUrlCommand({ QueueName: name }), {
        abortSignal: sqsCallSignal({ stop }),
      })
    ).QueueUrl;
  } catch (error) {
    if (isMissingQueue(error)) return undefined;
    throw error;
  }
}

async function create(
  sqs: SQSClient,
  stop: AbortSignal | undefined,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  // Two processes may create it at once; the same attributes make CreateQueue idempotent.
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    { abortSignal: sqsCallSignal({ stop }) },
  );
  if (!QueueUrl) throw new AppError(`SQS returned no URL for the new queue ${name}`);
  return QueueUrl;
}
