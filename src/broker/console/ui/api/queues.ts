import type { MoveTaskReport } from "../../../wire-types.ts";
import { callSqs } from "./sqs.ts";
import { ApiError } from "./api-error.ts";

/*
 * The SQS actions the console uses, typed as the JSON protocol carries them.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */

export type Attributes = Record<string, string>;

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  Attributes?: Attributes;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

export async function queueUrl(name: string): Promise<string> {
  return (await callSqs<{ QueueUrl: string }>("GetQueueUrl", { QueueName: name })).QueueUrl;
}

/** Whether a queue of this name exists (CreateQueue alone cannot tell: it answers an existing queue's URL). */
export async function queueExists(name: string): Promise<boolean> {
  try {
    await queueUrl(name);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === "QueueDoesNotExist") return false;
    throw error;
  }
}

export async function createQueue(
  name: string,
  attributes: Attributes,
  tags: Record<string, string>,
): Promise<string> {
  const input = {
    QueueName: name,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  return (await callSqs<{ QueueUrl: string }>("CreateQueue", input)).QueueUrl;
}

export async function deleteQueue(url: string): Promise<void> {
  await callSqs("DeleteQueue", { QueueUrl: url });
}

export async function purgeQueue(url: string): Promise<void> {
  await callSqs("PurgeQueue", { QueueUrl: url });
}

export async function queueAttributes(url: string): Promise<Attributes> {
  const answer = await callSqs<{ Attributes?: Attributes }>("GetQueueAttributes", {
    QueueUrl: url,
    AttributeNames: ["All"],
  });
  return answer.Attributes ?? {};
}

export async function setQueueAttributes(url: string, attributes: Attributes): Promise<void> {
  await callSqs("SetQueueAttributes", { QueueUrl: url, Attributes: attributes });
}

export async function queueTags(url: string): Promise<Record<string, string>> {
  return (
    (await callSqs<{ Tags?: Record<string, string> }>("ListQueueTags", { QueueUrl: url })).Tags ??
    {}
  );
}

export async function tagQueue(url: string, tags: Record<string, string>): Promise<void> {
  await callSqs("TagQueue", { QueueUrl: url, Tags: tags });
}

export async function untagQueue(url: string, keys: string[]): Promise<void> {
  await callSqs("UntagQueue", { QueueUrl: url, TagKeys: keys });
}

export interface SendInput {
  body: string;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  attributes: Record<string, MessageAttributeValue>;
}

export async function sendMessage(url: string, input: SendInput): Promise<{ MessageId: string }> {
  return callSqs<{ MessageId: string }>("SendMessage", {
    QueueUrl: url,
    MessageBody: input.body,
    ...(input.delaySeconds === undefined ? {} : { DelaySeconds: input.delaySeconds }),
    ...(input.groupId ? { MessageGroupId: input.groupId } : {}),
    ...(input.deduplicationId ? { MessageDeduplicationId: input.deduplicationId } : {}),
    ...(Object.keys(input.attributes).length > 0 ? { MessageAttributes: input.attributes } : {}),
  });
}

export async function receiveMessages(
  url: string,
  max: number,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<ReceivedMessage[]> {
  const answer = await callSqs<{ Messages?: ReceivedMessage[] }>(
    "ReceiveMessage",
    {
      QueueUrl: url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    },
    undefined,
    signal,
  );
  return answer.Messages ?? [];
}

export async function deleteMessages(
  url: string,
  handles: string[],
): Promise<{ failed: { Id: string; Message?: string }[] }> {
  const failed: { Id: string; Message?: string }[] = [];
  for (let start = 0; start < handles.length; start += 10) {
    const chunk = handles.slice(start, start + 10);
    const answer = await callSqs<{ Failed?: { Id: string; Message?: string }[] }>(
      "DeleteMessageBatch",
      {
        QueueUrl: url,
        Entries: chunk.map((handle, index) => ({
          Id: String(start + index),
          ReceiptHandle: handle,
        })),
      },
    );
    failed.push(...(answer.Failed ?? []));
  }
  return { failed };
}

export async function deadLetterSources(url: string): Promise<string[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const answer = await callSqs<{ queueUrls?: string[]; NextToken?: string }>(
      "ListDeadLetterSourceQueues",
      { QueueUrl: url, MaxResults: 1000, ...(token ? { NextToken: token } : {}) },
    );
    urls.push(...(answer.queueUrls ?? []));
    token = answer.NextToken;
  } while (token);
  return urls;
}

export async function startMoveTask(
  sourceArn: string,
  destinationArn: string | undefined,
  maxPerSecond: number | undefined,
): Promise<string> {
  const answer = await callSqs<{ TaskHandle: string }>("StartMessageMoveTask", {
    SourceArn: sourceArn,
    ...(destinationArn ? { DestinationArn: destinationArn } : {}),
    ...(maxPerSecond ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}),
  });
  return answer.TaskHandle;
}

export async function moveTasks(sourceArn: string): Promise<MoveTaskReport[]> {
  return (
    (
      await callSqs<{ Results?: MoveTaskReport[] }>("ListMessageMoveTasks", {
        SourceArn: sourceArn,
        MaxResults: 10,
      })
    ).Results ?? []
  );
}

export async function cancelMoveTask(handle: string): Promise<void> {
  await callSqs("CancelMessageMoveTask", { TaskHandle: handle });
}
