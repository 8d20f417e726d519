/** Where queues live: the region and account that appear in their ARNs and URLs. */
export interface QueueLocation {
  region: string;
  accountId: string;
}

/** Where queues live unless told: the region and account every local SQS uses. */
export const DEFAULT_LOCATION: QueueLocation = { region: "us-east-1", accountId: "000000000000" };

export function queueArn(location: QueueLocation, name: string): string {
  return `arn:aws:sqs:${location.region}:${location.accountId}:${name}`;
}

/** The queue name an SQS ARN names, or undefined if it is not an SQS ARN. */
export function queueNameFromArn(arn: string): string | undefined {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "sqs") return undefined;
  return parts[5] || undefined;
}
