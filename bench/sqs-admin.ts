import { request } from "undici";
import { SigV4Signer } from "./load/sigv4-signer.ts";
import type { SigningCredentials } from "./load/sigv4-signer.ts";
import { sqsHeaders } from "./load/sqs-wire.ts";
import type { SqsAction } from "./load/sqs-wire.ts";

/**
 * The few control-plane calls the orchestrator makes itself (create a queue,
 * read its depth), in AWS JSON 1.0, signed when the server checks
 * signatures (`signing`). They are off the measured path, so plain
 * `request` will do.
 */
export async function callSqs(
  origin: string,
  action: SqsAction,
  input: Record<string, unknown>,
  signing?: SigningCredentials,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(input);
  const headers = sqsHeaders(action);
  const response = await request(`${origin}/`, {
    method: "POST",
    headers: signing === undefined ? headers : new SigV4Signer(signing, origin).sign(headers, body),
    body,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`${action} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  }
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export async function createQueue(
  origin: string,
  name: string,
  attributes: Record<string, string> = {},
  signing?: SigningCredentials,
): Promise<string> {
  const answer = await callSqs(
    origin,
    "CreateQueue",
    { QueueName: name, Attributes: attributes },
    signing,
  );
  if (typeof answer.QueueUrl !== "string")
    throw new Error(`CreateQueue gave no QueueUrl: ${JSON.stringify(answer)}`);
  return answer.QueueUrl;
}

/** ApproximateNumberOfMessages (visible messages) of a queue. */
export async function queueDepth(
  origin: string,
  queueUrl: string,
  signing?: SigningCredentials,
): Promise<number> {
  const answer = await callSqs(
    origin,
    "GetQueueAttributes",
    { QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] },
    signing,
  );
  const attributes = answer.Attributes as Record<string, string> | undefined;
  return Number(attributes?.ApproximateNumberOfMessages ?? Number.NaN);
}

/** Readiness probe: true once ListQueues answers 200. */
export async function answersListQueues(
  origin: string,
  signing?: SigningCredentials,
): Promise<boolean> {
  await callSqs(origin, "ListQueues", {}, signing);
  return true;
}
