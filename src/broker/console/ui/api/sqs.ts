import { send } from "./transport.ts";
import type { Credentials } from "./session.ts";

/**
 * Calls one SQS action over the AWS JSON 1.0 protocol, exactly as the AWS
 * SDK does: POST `/` with `X-Amz-Target: AmazonSQS.<action>`.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html
 */
export async function callSqs<T = Record<string, never>>(
  action: string,
  input: object,
  credentials?: Credentials,
  signal?: AbortSignal,
): Promise<T> {
  const text = await send(
    "/",
    {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
      },
      body: JSON.stringify(input),
      ...(signal === undefined ? {} : { signal }),
    },
    credentials,
  );
  return (text === "" ? {} : JSON.parse(text)) as T;
}
