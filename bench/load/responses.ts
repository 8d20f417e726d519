/** The parts of SQS JSON answers the generator reads. */

export interface BatchOutcome {
  succeeded: number;
  failed: number;
  /** Ids of failed entries, so a fill can resend exactly those. */
  failedIds: string[];
  firstFailure?: string;
}

interface BatchAnswer {
  Successful?: unknown[];
  Failed?: { Id?: string; Code?: string; Message?: string }[];
}

export function parseBatchOutcome(body: string): BatchOutcome {
  const answer = JSON.parse(body) as BatchAnswer;
  const failed = answer.Failed ?? [];
  const outcome: BatchOutcome = {
    succeeded: answer.Successful?.length ?? 0,
    failed: failed.length,
    failedIds: failed.map((entry) => entry.Id ?? ""),
  };
  if (failed.length > 0) outcome.firstFailure = `${failed[0]!.Code}: ${failed[0]!.Message}`;
  return outcome;
}

export interface ReceivedMessage {
  ReceiptHandle: string;
  Body: string;
}

export function parseReceivedMessages(body: string): ReceivedMessage[] {
  return (JSON.parse(body) as { Messages?: ReceivedMessage[] }).Messages ?? [];
}
