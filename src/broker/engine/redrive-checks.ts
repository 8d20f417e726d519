import type { EngineContext } from "./engine-context.ts";
import { errors } from "./errors.ts";
import { allowsSource, parseRedrivePolicy } from "./redrive-policy.ts";

/**
 * Checks a RedrivePolicy a queue is about to get: its dead-letter queue must
 * exist, be of the same type, and allow this source (RedriveAllowPolicy).
 * A queue may name itself: AWS takes that (LocalStack's AWS-validated
 * `test_set_empty_redrive_policy` does it), and such a queue moves nothing
 * (see deadLetterTargetFor).
 */
export function assertValidRedriveTarget(
  ctx: EngineContext,
  sourceArn: string,
  sourceFifo: boolean,
  policyText: string,
): void {
  const policy = parseRedrivePolicy(policyText);
  const invalid = (reason: string) => errors.invalidParameter("RedrivePolicy", policyText, reason);
  const target = ctx.queues.findByArn(policy.deadLetterTargetArn);
  if (!target) throw invalid("Dead letter target does not exist.");
  if (target.fifo !== sourceFifo) {
    throw invalid("Dead-letter queue must be same type of queue as the source.");
  }
  if (!allowsSource(target.settings.redriveAllowPolicy, sourceArn)) {
    throw invalid(
      `Queue ${target.arn} does not allow ${sourceArn} to use it as a dead letter queue.`,
    );
  }
}
