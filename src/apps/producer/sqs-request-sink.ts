import { SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type {
  BatchResultErrorEntry,
  MessageAttributeValue,
  SendMessageBatchRequestEntry,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { REVISION_ATTRIBUTE } from "../../widgets/request-position.ts";
import { AppError } from "../app-error.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { queueNameOf, resolveQueueUrl } from "../aws/queue-url.ts";
import { isAbortedCall, sqsCallSignal, sqsDidNotAnswer } from "../aws/sqs-call-deadline.ts";
import type { GeneratedRequest } from "./request-generator.ts";
import type { RequestSink } from "./request-sink.ts";

export interface SqsRequestSinkOptions {
  readonly sqs: SQSClient;
  /** Queue name or URL; it must exist. */
  readonly queue: string;
  /**
   * Send FIFO parameters: `MessageGroupId` = widget id (each widget's requests
   * stay in order, different widgets still go in parallel) and
   * `MessageDeduplicationId` = request id. Default: when the queue name ends
   * in `.fifo`, as FIFO queue names must; `true` refuses a standard queue.
   */
  readonly fifo?: boolean;
}

/** SendMessageBatch takes at most 10 entries. */
const BATCH_LIMIT = 10;
/** Entries the service failed on its side (not the sender's fault) are tried this many more times. */
const ENTRY_RETRIES = 3;

/**
 * Sends each request as one message: the body is the request JSON, the
 * revision travels as the Number message attribute `widget-revision`. Several
 * requests at once go by SendMessageBatch.
 */
export async function openSqsRequestSink(options: SqsRequestSinkOptions): Promise<RequestSink> {
  const { sqs } = options;
  const queueUrl = await resolveQueueUrl(sqs, options.queue);
  const queueName = queueNameOf(queueUrl);
  // SQS makes every queue whose name ends in .fifo a FIFO queue, and no other. A standard
  // queue would refuse the first message's group id, after "Producing..." was printed.
  if (options.fifo && !queueName.endsWith(".fifo")) {
    throw new AppError(
      `--fifo asks for a FIFO queue, but ${queueName} is a standard queue ` +
        "(FIFO queue names end in .fifo): leave out --fifo, or give a FIFO queue",
    );
  }
  const fifo = options.fifo ?? queueName.endsWith(".fifo");

  // The fields SendMessage and a SendMessageBatch entry share.
  const message = (request: GeneratedRequest) => ({
    MessageBody: request.body,
    MessageAttributes: { [REVISION_ATTRIBUTE]: revisionAttribute(request.revision) },
    ...(fifo
      ? {
          MessageGroupId: request.request.widgetId,
          MessageDeduplicationId: request.request.requestId,
        }
      : {}),
  });

  async function sendOne(request: GeneratedRequest): Promise<void> {
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, ...message(request) }), {
        abortSignal: sqsCallSignal(),
      });
    } catch (error) {
      throw sendFailed(error, queueUrl);
    }
  }

  async function sendBatch(requests: readonly GeneratedRequest[]): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = requests.map((request, index) => ({
      Id: String(index),
      ...message(request),
    }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      let failed: BatchResultErrorEntry[] | undefined;
      try {
        ({ Failed: failed } = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
          { abortSignal: sqsCallSignal() },
        ));
      } catch (error) {
        throw sendFailed(error, queueUrl);
      }
      if (!failed || failed.length === 0) return;
      const fatal = failed.find((failure) => failure.SenderFault) ?? failed[0]!;
      if (fatal.SenderFault || attempt >= ENTRY_RETRIES) {
        throw new AppError(
          `could not send ${failed.length} request(s) to ${queueUrl}: ${fatal.Code ?? "error"} ${fatal.Message ?? ""}`.trim(),
        );
      }
      const failedIds = new Set(failed.map((failure) => failure.Id));
      pending = pending.filter((item) => failedIds.has(item.Id));
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }

  return {
    location: `queue ${queueUrl}${fifo ? " (FIFO: group = widget id)" : ""}`,
    deduplicates: fifo,
    async send(requests) {
      for (let start = 0; start < requests.length; start += BATCH_LIMIT) {
        const chunk = requests.slice(start, start + BATCH_LIMIT);
        await (chunk.length === 1 ? sendOne(chunk[0]!) : sendBatch(chunk));
      }
    },
  };
}

function revisionAttribute(revision: number): MessageAttributeValue {
  return { DataType: "Number", StringValue: String(revision) };
}

/**
 * A send is not cut short by a stop (Ctrl-C finishes the requests in hand),
 * but by SQS not answering in time: a broker that went quiet ends the run.
 */
function sendFailed(error: unknown, queueUrl: string): unknown {
  if (isAbortedCall(error)) return sqsDidNotAnswer("send to", queueNameOf(queueUrl), error);
  const described = describeConnectionError(error, "SQS");
  if (described !== error || !(error instanceof Error)) return described;
  return new AppError(`could not send to ${queueUrl}: ${error.name}: ${error.message}`, 1, {
    cause: error,
  });
}
