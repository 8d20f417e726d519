import { jsonString, messageBody } from "./sqs-wire.ts";

/**
 * AWS JSON 1.0 request bodies (the Query ones are in query-bodies.ts).
 * They are string concatenation around pre-quoted constant parts:
 * JSON.stringify of a whole request per call would cost the generator several
 * times more CPU than the few concatenations here.
 */
export function sendBodies(queueUrl: string): (seq: number) => string {
  const send = sendBodyOf(queueUrl);
  return (seq) => send(messageBody(`m${seq}-`));
}

/** A SendMessage carrying `body` as is (end to end stamps its own; JSON-safe characters only). */
export function sendBodyOf(queueUrl: string): (body: string) => string {
  const head = `{"QueueUrl":${jsonString(queueUrl)},"MessageBody":"`;
  return (body) => `${head}${body}"}`;
}

/** FIFO sends spread round-robin over `groups` message groups. */
export function fifoSendBodies(queueUrl: string, groups: number): (seq: number) => string {
  const head = `{"QueueUrl":${jsonString(queueUrl)},"MessageGroupId":"g`;
  return (seq) => `${head}${seq % groups}","MessageBody":"${messageBody(`f${seq}-`)}"}`;
}

/** A SendMessageBatch carrying the messages numbered `seqs` (at most 10), entry Ids "0".."9". */
export function batchBodies(queueUrl: string): (seqs: readonly number[]) => string {
  const head = `{"QueueUrl":${jsonString(queueUrl)},"Entries":[`;
  return (seqs) => {
    let body = head;
    for (let i = 0; i < seqs.length; i++) {
      body += `${i === 0 ? "" : ","}{"Id":"${i}","MessageBody":"${messageBody(`b${seqs[i]}-`)}"}`;
    }
    return `${body}]}`;
  };
}

/** The receive request of drain and end to end; constant, so built once. */
export function receiveBody(queueUrl: string, waitTimeSeconds: number): string {
  return JSON.stringify({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: waitTimeSeconds,
  });
}

export function deleteBatchBody(queueUrl: string, receiptHandles: readonly string[]): string {
  let body = `{"QueueUrl":${jsonString(queueUrl)},"Entries":[`;
  for (let i = 0; i < receiptHandles.length; i++) {
    body += `${i === 0 ? "" : ","}{"Id":"${i}","ReceiptHandle":${jsonString(receiptHandles[i]!)}}`;
  }
  return `${body}]}`;
}
